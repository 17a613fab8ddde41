/**
 * Disk full during an ingest: the database lives on a small tmpfs (`mount -t tmpfs -o size=…`, which
 * needs root; without it the test is reported as skipped with the reason). The ingest must fail with a
 * clear error, leave a database SQLite calls intact holding whole pages only, and, once there is room
 * again (the tmpfs remounted larger), resume to exactly the rows of a run that never ran out of space.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../../src/store/store.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { onlyBackend } from '../helpers/database.ts';

// PostgreSQL's disk-full behaviour is its own (an ERROR on a data file, a server PANIC on a full WAL): not re-created here.
const SQLITE_ONLY = onlyBackend('sqlite', 'a SQLite file on a small tmpfs filling up; PostgreSQL owns its data directory');
import { recordedApiEntries, startReplayServer, type ReplayServer } from '../helpers/arxiv-replay-server.ts';
import { dumpIngestedRows } from '../helpers/ingest.ts';

const CATEGORIES = 'cs.AI,cs.LG,cs.CL,cs.CV,cs.NE,cs.SE,cs.CR,cs.DC';
const ARGS = ['ingest', '--from', '2025-12-01', '--to', '2025-12-31', '--via', 'api', '--categories', CATEGORIES];
const PAGE_SIZE = 50;

const temp = makeTempDir('papersift-disk-full-');
const mountPoint = path.join(temp.dir, 'tmpfs');
let mounted = false;
let replay: ReplayServer;

function runIngest(database: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...ARGS], {
    env: { ...process.env, ...OFFLINE_ENV, DATABASE_URL: database, PAPERSIFT_CATEGORIES: CATEGORIES, ARXIV_API_URL: replay.apiUrl, ARXIV_API_PAGE_SIZE: String(PAGE_SIZE), ARXIV_MIN_INTERVAL_MS: '5', ARXIV_BACKOFF_MS: '10' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** Size of the database and its WAL after a clean run, to size the tmpfs below it. */
const sizeOf = (database: string) => ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (fs.existsSync(database + suffix) ? fs.statSync(database + suffix).size : 0), 0);

before(async () => {
  if (SQLITE_ONLY.skip) return;
  replay = await startReplayServer({ apiEntries: recordedApiEntries() });
  fs.mkdirSync(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    console.log(`# disk-full: mount -t tmpfs is not permitted here (${(error as Error).message.split('\n')[0]}); the test reports itself skipped`);
  }
});
after(async () => {
  await replay?.close();
  // Lazy: a store a failed assertion left open must not keep the mount (and the machine) busy.
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  temp.cleanup();
});

test('an ingest that fills the disk fails with a clear error, keeps whole pages in an intact database, and resumes once there is room', { ...SQLITE_ONLY, timeout: 180_000 }, async (t) => {
  if (!mounted) return t.skip('needs root for mount -t tmpfs');
  const cleanDb = path.join(temp.dir, 'clean.db');
  const clean = await runIngest(cleanDb);
  assert.equal(clean.code, 0, clean.stderr);
  const cleanSize = sizeOf(cleanDb);
  const cleanStore = await openStore({ dialect: 'sqlite', file: cleanDb });
  const expected = await dumpIngestedRows(cleanStore);
  await cleanStore.close();

  // The schema first (with room), then room for a few pages of the backfill but not for all of it.
  const database = path.join(mountPoint, 'papersift.db');
  await (await openStore({ dialect: 'sqlite', file: database })).close();
  const used = () => { const s = fs.statfsSync(mountPoint); return (s.blocks - s.bfree) * s.bsize; };
  const limit = used() + Math.floor(cleanSize * 0.4);
  execFileSync('mount', ['-o', `remount,size=${limit}`, mountPoint]);
  console.log(`# disk-full: clean run ${cleanSize} bytes; tmpfs of ${limit} bytes (${used()} used by the empty schema)`);
  const full = await runIngest(database);
  assert.equal(full.signal, null, 'the process was not killed');
  assert.equal(full.code, 1, `the ingest fails: ${full.stderr}`);
  const line = full.stderr.trim().split('\n').pop() ?? '';
  assert.match(line, /^papersift: .*(database or disk is full|SQLITE_FULL|ENOSPC|no space left)/i, `a clear error line: ${full.stderr.slice(-500)}`);
  assert.doesNotMatch(full.stderr, /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');

  // Room again: the database opens, is intact, holds whole pages only, and the run resumes to the clean rows.
  execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
  const store = await openStore({ dialect: 'sqlite', file: database });
  try {
    assert.deepEqual((await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(store.db)).rows, [{ integrity_check: 'ok' }]);
    const rows = await dumpIngestedRows(store);
    const ids = (rows.papers as Array<{ id: string }>).map((p) => p.id);
    assert.equal(ids.length % PAGE_SIZE, 0, `whole pages only (${ids.length} papers)`);
    assert.ok(ids.length > 0 && ids.length < 400, `the disk filled part-way (${ids.length} papers stored)`);
    console.log(`# disk-full: ${ids.length} papers (whole pages) stored before the disk filled`);
    assert.equal(new Set(ids).size, ids.length, 'no duplicate');
    const runs = await store.db.selectFrom('ingest_runs').select(['status', 'error']).execute();
    assert.equal(runs.length, 1);
    assert.notEqual(runs[0]!.status, 'success');
  } finally {
    await store.close();
  }
  const resumed = await runIngest(database);
  assert.equal(resumed.code, 0, resumed.stderr);
  const after = await openStore({ dialect: 'sqlite', file: database });
  try {
    const rows = await dumpIngestedRows(after);
    for (const table of Object.keys(expected)) assert.deepEqual(rows[table], expected[table], `table ${table} matches the clean run`);
    assert.deepEqual(await after.db.selectFrom('ingest_runs').select('status').execute(), [{ status: 'success' }]);
  } finally {
    await after.close();
  }
});

test('regression: a first start on a full disk fails cleanly and leaves no half-applied migration behind', { ...SQLITE_ONLY, timeout: 120_000 }, async (t) => {
  if (!mounted) return t.skip('needs root for mount -t tmpfs');
  execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
  const database = path.join(mountPoint, 'first-start.db');
  const s = fs.statfsSync(mountPoint);
  // Room for the first migrations' writes, not for all of them (they take ~1 MB of WAL).
  execFileSync('mount', ['-o', `remount,size=${(s.blocks - s.bfree) * s.bsize + 400 * 1024}`, mountPoint]);
  const full = await runIngest(database);
  assert.equal(full.code, 1, full.stderr);
  assert.match(full.stderr.trim().split('\n').pop() ?? '', /^papersift: migration.*database or disk is full/);
  execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
  // Before the fix the next start failed for ever: "migration 0002-announcement-days failed: table announcement_days already exists".
  const store = await openStore({ dialect: 'sqlite', file: database });
  await store.close();
  const resumed = await runIngest(database);
  assert.equal(resumed.code, 0, resumed.stderr);
});
