import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { DEFAULT_SNAPSHOT_PATH, loadConfig } from '../../src/config/config.ts';
import { serviceGateSettings } from '../../src/config/service-gates.ts';
import { ingestSnapshot } from '../../src/ingest/ingest-snapshot.ts';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { summarizeJob, type JobQueue } from '../../src/jobs/queue.ts';
import { openRateGate } from '../../src/store/rate-gates.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { startFakeLlmServer, type FakeLlmServer, type FakeReply } from '../helpers/fake-llm-servers.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { onlyBackend } from '../helpers/database.ts';
import { goodAnswer } from '../llm/kit.ts';

const POSTGRES_ONLY = onlyBackend('postgres', 'issue 21: LLM limits shared by four worker processes on one PostgreSQL server (pg-boss)');

/**
 * Issue 21's LLM half, with real parts: four `papersift worker` processes on one PostgreSQL store, an
 * OpenAI-compatible fake provider on loopback that records when each request arrives and completes.
 * LLM_REQUESTS_PER_MINUTE and LLM_CONCURRENCY hold for all workers together, not per worker, and a
 * process killed while it holds the only slot stalls the others for its lease, no longer.
 *
 * The budget's window is a minute and no option shrinks it; so that the test does not wait a minute,
 * the window is filled first with starts "from earlier" (taken through the same gate with a clock set
 * back, as a process that ran a minute ago would have left them). Each of those leaves the window at a
 * known moment, and the m-th request the workers send may not start before the m-th of them has left.
 */

const WORKERS = 4;
const JOBS_PER_WORKER = 4;
const CONCURRENCY = 3;
const PER_MINUTE = 20;
/** Two first requests fail with 500 and are sent again: retries count in the budget too. */
const FAILING_FIRST = 2;
const PAPERS = PER_MINUTE - FAILING_FIRST;
const LATENCY_MS = 800;
const WINDOW_MS = 60_000;
/** When the first starts from earlier leave the window: after the workers have taken their jobs (each process alone would send then). */
const FIRST_LEAVES_MS = 10_000;

interface Arrival {
  paper: string;
  arrived: number;
  completed: number;
  status: number;
}

let fake: FakeLlmServer;
let store: Store;
let queue: JobQueue;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;
const children: ChildProcess[] = [];
const arrivals: Arrival[] = [];
/** What the fake provider does with a request: answer it, or (the kill test) hang the first one. */
let mode: 'budget' | 'kill' = 'budget';
let hung: Arrival | null = null;

before(async () => {
  if (POSTGRES_ONLY.skip) return;
  fake = await startFakeLlmServer(async (request): Promise<FakeReply> => {
    const arrival: Arrival = { paper: request.paper ?? '', arrived: Date.now(), completed: 0, status: 200 };
    arrivals.push(arrival);
    if (mode === 'budget' && arrivals.length <= FAILING_FIRST) {
      arrival.status = 500;
      arrival.completed = Date.now();
      return { status: 500 };
    }
    if (mode === 'kill' && hung === null) {
      hung = arrival;
      return { hang: true };
    }
    const answer = await goodAnswer(request);
    await sleep(mode === 'budget' ? LATENCY_MS : 300);
    arrival.completed = Date.now();
    return { answer };
  });
  const database = await createTestDatabase();
  databaseUrl = database.url;
  dropDatabase = database.drop;
  store = await openStore({ dialect: 'postgres', url: databaseUrl });
  await ingestSnapshot(store, DEFAULT_SNAPSHOT_PATH);
  queue = await openJobQueue(loadConfig({ DATABASE_URL: databaseUrl, PAPERSIFT_JOB_LEASE_SECONDS: '30', PAPERSIFT_JOB_BACKOFF_SECONDS: '1' }), store);
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue?.close();
  await store?.close();
  await fake?.close();
  await dropDatabase?.();
});

function llmEnv(limits: { concurrency: number; perMinute: number; timeoutMs: number }): Record<string, string> {
  return {
    ...OFFLINE_ENV,
    DATABASE_URL: databaseUrl,
    PAPERSIFT_LLM: 'openai-compatible:fake-model',
    LLM_BASE_URL: fake.baseUrl,
    LLM_CONCURRENCY: String(limits.concurrency),
    LLM_REQUESTS_PER_MINUTE: String(limits.perMinute),
    LLM_TIMEOUT_MS: String(limits.timeoutMs),
    LLM_MAX_RETRIES: '2',
    PAPERSIFT_JOB_LEASE_SECONDS: '30',
    PAPERSIFT_JOB_BACKOFF_SECONDS: '1',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
  };
}

/** Starts a CLI process; resolves once a worker says it is ready (IPC), at once for other commands. */
async function start(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${args[0]} ${child.pid}] ${chunk}`));
  children.push(child);
  if (args[0] === 'worker') {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: { event?: string }) => message.event === 'worker-ready' && resolve());
      child.once('exit', (code) => reject(new Error(`worker exited ${code} before it was ready`)));
    });
  }
  return child;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(50);
  }
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** Papers with no summary yet, oldest first. */
async function unsummarised(count: number, except: string[] = []) {
  const rows = await store.db
    .selectFrom('papers')
    .select(['id', 'latest_version'])
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('summaries').select('paper_id').whereRef('summaries.paper_id', '=', 'papers.id'))))
    .orderBy('seq')
    .limit(count + except.length)
    .execute();
  return rows.filter((r) => !except.includes(r.id)).slice(0, count);
}

async function summariesOf(ids: string[]) {
  return store.db.selectFrom('summaries').select(['paper_id', 'version']).where('paper_id', 'in', ids).execute();
}

/** Most intervals [arrived, completed) open at one moment. */
function mostInFlight(requests: Arrival[]): number {
  return Math.max(...requests.map((r) => requests.filter((o) => o.arrived <= r.arrived && o.completed > r.arrived).length));
}

test('4 workers stay within LLM_REQUESTS_PER_MINUTE and LLM_CONCURRENCY together, retries included; every paper summarised', { ...POSTGRES_ONLY, timeout: 300_000 }, async () => {
  const env = llmEnv({ concurrency: CONCURRENCY, perMinute: PER_MINUTE, timeoutMs: 30_000 });
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => start(['worker', '--concurrency', String(JOBS_PER_WORKER), '--stages', 'summarize'], env)));

  // The window "from earlier": half its starts leave it together 10 s from now (by then every worker
  // has its jobs and waits; ten requests may then go at once, so the concurrency is what holds them),
  // the other half one every 500 ms from 14 s on (after the first ten are done: each waits for its own).
  const settings = serviceGateSettings(loadConfig(env)).llm!;
  assert.deepEqual(settings.budget, { count: PER_MINUTE, windowMs: WINDOW_MS });
  const now = Date.now();
  const earlier = Array.from({ length: PER_MINUTE }, (_, i) => now - WINDOW_MS + (i < PER_MINUTE / 2 ? FIRST_LEAVES_MS : FIRST_LEAVES_MS + 4_000 + 500 * (i - PER_MINUTE / 2)));
  for (const at of earlier) await (await openRateGate(store.db, settings, () => at).acquire()).release();

  const papers = await unsummarised(PAPERS);
  assert.equal(await queue.enqueue(papers.map((p) => summarizeJob(p.id, p.latest_version))), PAPERS);
  const ids = papers.map((p) => p.id);
  await until('every paper has a summary', async () => (await summariesOf(ids)).length === PAPERS, 200_000);
  for (const w of workers) w.kill('SIGTERM');
  assert.deepEqual(await Promise.all(workers.map(exited)), workers.map(() => 0));

  // Every request the workers sent, the two failed ones and their retries included.
  const sent = arrivals.slice().sort((a, b) => a.arrived - b.arrived);
  assert.equal(sent.length, PER_MINUTE, `${sent.length} requests: one per paper and one retry per failure`);
  assert.equal(sent.filter((r) => r.status === 500).length, FAILING_FIRST);

  // The budget: the m-th request did not start before the m-th start from earlier had left the
  // minute window (each process alone would have sent at once: nothing of its own was in its window).
  const leaves = earlier.map((t) => t + WINDOW_MS).sort((a, b) => a - b);
  sent.forEach((r, m) => assert.ok(r.arrived >= leaves[m]!, `request ${m + 1} arrived ${leaves[m]! - r.arrived} ms before a start left the window`));
  // ...and the workers were waiting for the window, not idle: the first went as soon as it could.
  assert.ok(sent[0]!.arrived <= leaves[0]! + 3_000, `first request ${sent[0]!.arrived - leaves[0]!} ms after the window allowed it`);
  // Hence no minute holds more than the budget, counting the earlier starts.
  const starts = [...earlier, ...sent.map((r) => r.arrived)];
  for (const r of sent) {
    const inWindow = starts.filter((t) => t <= r.arrived && t > r.arrived - WINDOW_MS).length;
    assert.ok(inWindow <= PER_MINUTE, `${inWindow} starts in the minute up to request at +${r.arrived - now} ms`);
  }
  // The concurrency: ten requests were free to go at once; never more than three were in flight.
  assert.equal(mostInFlight(sent), CONCURRENCY, 'in flight at once, across all workers');
  assert.ok(fake.maxInFlight <= CONCURRENCY, `the provider saw ${fake.maxInFlight} at once`);

  // Every paper summarised, by the LLM, once; the failures are in the ledger as sent.
  const summaries = await summariesOf(ids);
  assert.deepEqual(new Set(summaries.map((s) => s.paper_id)), new Set(ids));
  const calls = await store.db.selectFrom('llm_calls').select(['paper_id', 'outcome']).where('paper_id', 'in', ids).execute();
  assert.equal(calls.filter((c) => c.outcome === 'success').length, PAPERS);
  assert.equal(calls.filter((c) => c.outcome === 'http_error').length, FAILING_FIRST);
  process.stderr.write(`# ${sent.length} requests from ${WORKERS} workers at ${sent.map((r) => `+${r.arrived - now}`).join(', ')} ms\n`);
});

test('a process SIGKILLed holding the only LLM slot stalls the workers for its lease, no longer', { ...POSTGRES_ONLY, timeout: 300_000 }, async () => {
  // A fresh gate: the budget test's starts fill this minute.
  await store.db.deleteFrom('rate_gate_slots').where('service', '=', 'llm').execute();
  await store.db.deleteFrom('rate_gates').where('service', '=', 'llm').execute();
  arrivals.length = 0;
  mode = 'kill';
  const timeoutMs = 20_000;
  const env = llmEnv({ concurrency: 1, perMinute: 1_000, timeoutMs });
  const leaseMs = serviceGateSettings(loadConfig(env)).llm!.leaseMs;
  const workers = await Promise.all(Array.from({ length: 3 }, () => start(['worker', '--concurrency', '2', '--stages', 'summarize'], env)));

  // The victim: a command-line summary run whose request the provider never answers.
  const victim = await start(['summarize', '--limit', '1'], env);
  await until('the victim holds the slot', () => hung !== null, 60_000);
  const slots = await store.db.selectFrom('rate_gate_slots').selectAll().where('service', '=', 'llm').where('lease_until_ms', '>', Date.now()).execute();
  assert.equal(slots.length, 1, 'one slot in flight: the victim');
  const leaseEnds = slots[0]!.lease_until_ms;
  assert.equal(leaseEnds - slots[0]!.started_ms, leaseMs);
  victim.kill('SIGKILL');
  await exited(victim);
  const killedAt = Date.now();

  const papers = await unsummarised(3, [hung!.paper.replace(/v\d+$/, '')]);
  await queue.enqueue(papers.map((p) => summarizeJob(p.id, p.latest_version)));
  const ids = papers.map((p) => p.id);
  await until('the three papers have summaries', async () => (await summariesOf(ids)).length === 3, 120_000);
  for (const w of workers) w.kill('SIGTERM');
  assert.deepEqual(await Promise.all(workers.map(exited)), [0, 0, 0]);

  const after = arrivals.filter((r) => r !== hung).sort((a, b) => a.arrived - b.arrived);
  assert.equal(after.length, 3);
  // Held: nobody started while the dead process's slot was leased; freed: the first started right after.
  assert.ok(after[0]!.arrived >= leaseEnds, `a request started ${leaseEnds - after[0]!.arrived} ms before the dead slot's lease ended`);
  assert.ok(after[0]!.arrived <= leaseEnds + 3_000, `the workers waited ${after[0]!.arrived - leaseEnds} ms past the lease`);
  assert.equal(mostInFlight(after), 1, 'one at a time (LLM_CONCURRENCY=1 across the workers)');
  process.stderr.write(`# killed ${killedAt - hung!.arrived} ms after its request; lease ${leaseMs} ms; next request ${after[0]!.arrived - leaseEnds} ms after the lease ended\n`);
});
