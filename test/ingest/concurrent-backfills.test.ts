import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { recordedApiEntries, startReplayServer, type ReplayServer } from '../helpers/arxiv-replay-server.ts';
import { dumpIngestedRows } from '../helpers/ingest.ts';

/**
 * Two backfills of the same range on one store at once (issue 21): a user starts `papersift ingest
 * --from … --to …` twice, or beside a scheduled one. Seen before: the second resumed the first's LIVE
 * run (an unfinished run looked interrupted), both wrote its checkpoint and totals, and on PostgreSQL
 * the two processes storing the same page inserted the same paper ids and one failed on the primary key
 * ("duplicate key value violates unique constraint papers_id_key"). The shared arXiv gate lets one
 * request out at a time, so the two cannot be made to store a page at the same moment from the server's
 * side: the first page is held until the second process has its run, so both then ask for the same
 * pages in turn and one stores a page while the other receives it (the duplicate key came so, measured,
 * though not every time). Whether a resumed run was live is decided before any page: that part fails
 * without the fix every time.
 */
const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

const CATEGORIES = 'cs.AI,cs.LG,cs.CL,cs.CV,cs.NE,cs.SE,cs.CR,cs.DC';
/** How long the first page waits for the second process to start its run (without the fix it resumes the first's instead). */
const HOLD_MS = 20_000;
const ARGS = ['ingest', '--from', '2025-12-01', '--to', '2025-12-31', '--via', 'api', '--categories', CATEGORIES];

function runBackfill(server: ReplayServer, database: string) {
  const child = spawn(process.execPath, [CLI, ...ARGS], {
    env: {
      ...process.env,
      ...OFFLINE_ENV,
      DATABASE_URL: database,
      PAPERSIFT_CATEGORIES: CATEGORIES,
      ARXIV_API_URL: server.apiUrl,
      ARXIV_API_PAGE_SIZE: '50',
      ARXIV_MIN_INTERVAL_MS: '20',
      ARXIV_BACKOFF_MS: '10',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stderr })));
  return { child, exited };
}

test('two backfills of one range at once: neither resumes the live other, both succeed, the rows are those of one clean run', { timeout: 300_000 }, async () => {
  const entries = recordedApiEntries();
  // The first request of the two-process part waits (up to a while) until the second process has its run.
  let holdFirst: (() => Promise<void>) | null = null;
  const server = await startReplayServer({
    apiEntries: entries,
    onRequest: async () => {
      const hold = holdFirst;
      holdFirst = null;
      await hold?.();
    },
  });
  try {
    const cleanDb = await freshDatabase(temp.dir, 'clean');
    const clean = await runBackfill(server, cleanDb.url).exited;
    assert.equal(clean.code, 0, clean.stderr);

    const sharedDb = await freshDatabase(temp.dir, 'shared');
    const watcher = await sharedDb.open();
    const runs = async () => Number((await watcher.db.selectFrom('ingest_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    holdFirst = async () => {
      const deadline = Date.now() + HOLD_MS;
      while ((await runs()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      // The second process asks for the same first page next: both store it at about the same moment.
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const before = server.requests.length;
    const first = runBackfill(server, sharedDb.url);
    // The second starts once the first's run exists (its first page request is in): the run it could resume is live.
    while (server.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = runBackfill(server, sharedDb.url);
    const results = await Promise.all([first.exited, second.exited]);
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /resuming interrupted backfill/, 'a live run is not resumed by another process');
    }

    await watcher.close();
    const [cleanStore, sharedStore] = await Promise.all([cleanDb.open(), sharedDb.open()]);
    try {
      const [expected, actual] = await Promise.all([dumpIngestedRows(cleanStore), dumpIngestedRows(sharedStore)]);
      for (const table of Object.keys(expected)) assert.deepEqual(actual[table], expected[table], `table ${table} matches row by row`);
      const runs = await sharedStore.db.selectFrom('ingest_runs').select(['status', 'fetched']).orderBy('id').execute();
      assert.deepEqual(runs, [
        { status: 'success', fetched: 400 },
        { status: 'success', fetched: 400 },
      ], 'each process ran (and counted) its own run');
    } finally {
      await cleanStore.close();
      await sharedStore.close();
    }
  } finally {
    await server.close();
  }
});
