import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RateGateSettings } from '../../src/domain/rate-gate.ts';
import type { Store } from '../../src/store/store.ts';
import { makeTempDir, REPO_ROOT } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * The shared rate gate across real processes on one database (test/helpers/gate-client.ts): nothing but
 * the store can coordinate them. (On SQLite several handles inside one process cannot stand in for
 * processes: better-sqlite3 waits for a lock synchronously, so a handle waiting blocks the thread the
 * holder needs to commit.)
 */
const temp = makeTempDir();
const opened: Store[] = [];
after(async () => {
  for (const store of opened) await store.close();
  await dropTestDatabases();
  temp.cleanup();
});

const base: RateGateSettings = { service: 'test', minIntervalMs: 0, maxConcurrent: 1, leaseMs: 60_000 };
const CLIENT = path.join(REPO_ROOT, 'test/helpers/gate-client.ts');
/** Long enough for every client process to start (tsx compiles on a loaded machine) before they all ask. */
const START_DELAY_MS = 12_000;

interface Turn {
  asked: number;
  start: number;
  end: number;
}

function runClient(database: TestDatabase, job: { settings: RateGateSettings; at: number; count: number; holdMs: number; keep?: boolean; parallel?: boolean }) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, JSON.stringify({ target: database.target, ...job })], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const turns: Turn[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      turns.push(JSON.parse(buffer.slice(0, i)) as Turn);
      buffer = buffer.slice(i + 1);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const done = new Promise<Turn[]>((resolve, reject) =>
    child.once('close', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(turns) : reject(new Error(`gate client exited ${code}: ${stderr}`)))),
  );
  return { child, turns, done };
}

async function clients(name: string, processes: number, job: { settings: RateGateSettings; count: number; holdMs: number; parallel?: boolean }): Promise<Turn[]> {
  const database = await freshDatabase(temp.dir, name);
  // Migrate once here, so the clients do not all start by migrating.
  opened.push(await database.open());
  const at = Date.now() + START_DELAY_MS;
  const runs = Array.from({ length: processes }, () => runClient(database, { ...job, at }).done);
  return (await Promise.all(runs)).flat().sort((a, b) => a.start - b.start);
}

describe('one gate, several processes', { concurrency: true }, () => {
  test('starts are at least the interval apart across processes', async () => {
    const turns = await clients('spacing', 3, { settings: { ...base, minIntervalMs: 200, maxConcurrent: 3 }, count: 3, holdMs: 0 });
    assert.equal(turns.length, 9);
    const gaps = turns.slice(1).map((t, i) => t.start - turns[i]!.start);
    // With no gate, processes that ask together would start together.
    assert.ok(Math.min(...gaps) >= 200, `gaps ${gaps.join(', ')} ms`);
  });

  test('no more requests in flight across processes than maxConcurrent', async () => {
    const turns = await clients('concurrency', 3, { settings: { ...base, maxConcurrent: 2 }, count: 3, holdMs: 150, parallel: true });
    assert.equal(turns.length, 9);
    const most = Math.max(...turns.map((t) => turns.filter((u) => u.start <= t.start && u.end > t.start).length));
    assert.equal(most, 2, 'two at a time, never three');
  });

  test('the per-window budget holds across processes', async () => {
    const windowMs = 600;
    const turns = await clients('budget', 2, { settings: { ...base, maxConcurrent: 4, budget: { count: 3, windowMs } }, count: 4, holdMs: 0, parallel: true });
    assert.equal(turns.length, 8);
    const starts = turns.map((t) => t.start);
    for (const start of starts) {
      const inWindow = starts.filter((t) => t <= start && t > start - windowMs).length;
      assert.ok(inWindow <= 3, `${inWindow} starts within ${windowMs} ms ending at +${start - starts[0]!} ms`);
    }
    // 8 starts at 3 per window take at least two more windows after the first start.
    assert.ok(starts.at(-1)! - starts[0]! >= 2 * windowMs, `all 8 within ${starts.at(-1)! - starts[0]!} ms`);
  });

  test('a process killed holding a slot stalls the others for its lease, no longer', async () => {
    const database = await freshDatabase(temp.dir, 'killed');
    opened.push(await database.open());
    const settings = { ...base, leaseMs: 1_500 };
    const holder = runClient(database, { settings, at: 0, count: 1, holdMs: 0, keep: true });
    while (holder.turns.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    holder.child.kill('SIGKILL');
    await holder.done;
    const taken = holder.turns[0]!.start;
    const [turn] = await runClient(database, { settings, at: 0, count: 1, holdMs: 0 }).done;
    // The second process may start once the dead one's lease (1.5 s from its start) is over, not
    // before, and then at once (within a poll or two of the gate).
    assert.ok(turn!.start >= taken + 1_500, `started ${turn!.start - taken} ms after the dead slot`);
    assert.ok(turn!.start <= Math.max(turn!.asked, taken + 1_500) + 250, `waited ${turn!.start - turn!.asked} ms after asking`);
  });
});

async function handle(name: string): Promise<Store> {
  const store = await (await freshDatabase(temp.dir, name)).open();
  opened.push(store);
  return store;
}

test('a hold (a Retry-After one process saw) delays the next start', async () => {
  const store = await handle('hold');
  const gateA = store.rateGates.open(base);
  const gateB = store.rateGates.open(base);
  await (await gateA.acquire()).release();
  const held = Date.now();
  await gateA.holdFor(300);
  const slot = await gateB.acquire();
  await slot.release();
  assert.ok(slot.startedAt >= held + 300, `started ${slot.startedAt - held} ms after the hold`);
  assert.ok((await gateA.state()).waitMs <= 0);
});

test('a slot never released frees after its lease, not before', async () => {
  const store = await handle('lease');
  const settings = { ...base, leaseMs: 400 };
  const held = await store.rateGates.open(settings).acquire(); // never released
  const gateB = store.rateGates.open(settings);
  const state = await gateB.state();
  assert.equal(state.inFlight, 1);
  assert.ok(state.waitMs > 0);
  const asked = Date.now();
  const slot = await gateB.acquire();
  await slot.release();
  // Bounded by the held slot's own lease, not by when B asked: on a loaded machine the state() above
  // can take much of the 400 ms (measured: B asked 191 ms into the lease at load average 15).
  const leaseEnd = held.startedAt + settings.leaseMs;
  assert.ok(slot.startedAt >= leaseEnd, `started ${leaseEnd - slot.startedAt} ms before the lease ended`);
  assert.ok(slot.startedAt - Math.max(asked, leaseEnd) < 2_000, `waited ${slot.startedAt - Math.max(asked, leaseEnd)} ms past the lease`);
});

test('an aborted wait stops asking', async () => {
  const gate = (await handle('abort')).rateGates.open({ ...base, minIntervalMs: 10_000 });
  await (await gate.acquire()).release();
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('gave up')), 50);
  await assert.rejects(gate.acquire(controller.signal), /gave up/);
});

test('settings are checked', async () => {
  const store = await handle('settings');
  assert.throws(() => store.rateGates.open({ ...base, maxConcurrent: 0 }), /maxConcurrent/);
  assert.throws(() => store.rateGates.open({ ...base, budget: { count: 0, windowMs: 1 } }), /budget/);
});
