import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import fs from 'node:fs';
import { parseApiFeed } from '../../src/arxiv/api-feed.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { API_PAGES, recordedApiEntries, startReplayServer, type ReplayServer } from '../helpers/arxiv-replay-server.ts';
import { dumpIngestedRows } from '../helpers/ingest.ts';

const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

const CATEGORIES = 'cs.AI,cs.LG,cs.CL,cs.CV,cs.NE,cs.SE,cs.CR,cs.DC';
const ARGS = ['ingest', '--from', '2025-12-01', '--to', '2025-12-31', '--via', 'api', '--categories', CATEGORIES];

/** Runs a backfill as a real child process; `killWhen` may SIGKILL it from the server's request hook. */
function runBackfill(server: ReplayServer, database: string): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
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
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

test('SIGKILL at five points of a multi-page ingest, then a rerun, leaves exactly the rows of a clean run', async () => {
  const entries = recordedApiEntries();
  let onRequest: ((count: number) => void) | undefined;
  const server = await startReplayServer({ apiEntries: entries, onRequest: (count) => onRequest?.(count) });
  try {
    // The reference: one uninterrupted run.
    const cleanDb = await freshDatabase(temp.dir, 'clean');
    const clean = await runBackfill(server, cleanDb.url).exited;
    assert.equal(clean.code, 0, clean.stderr);
    const pagesPerRun = server.requests.length;
    assert.equal(pagesPerRun, 8, '400 recorded entries in pages of 50');

    // The same backfill killed five times: as page requests arrive (before the answer), and once while a page is being stored.
    const killedDb = await freshDatabase(temp.dir, 'killed');
    const killPoints: Array<{ atRequest: number; delayMs: number }> = [
      { atRequest: 1, delayMs: 0 },
      { atRequest: 3, delayMs: 0 },
      { atRequest: 2, delayMs: 0 },
      { atRequest: 2, delayMs: 40 },
      { atRequest: 1, delayMs: 25 },
    ];
    for (const point of killPoints) {
      let seen = 0;
      const run = runBackfill(server, killedDb.url);
      onRequest = () => {
        seen += 1;
        if (seen === point.atRequest) setTimeout(() => run.child.kill('SIGKILL'), point.delayMs);
      };
      const result = await run.exited;
      assert.equal(result.signal, 'SIGKILL', `killed at request ${point.atRequest} (+${point.delayMs} ms): ${result.stderr}`);
    }
    onRequest = undefined;
    const finish = await runBackfill(server, killedDb.url).exited;
    assert.equal(finish.code, 0, finish.stderr);
    assert.match(finish.stderr, /resuming interrupted backfill/);

    const [cleanStore, killedStore] = await Promise.all([cleanDb.open(), killedDb.open()]);
    try {
      const [expected, actual] = await Promise.all([dumpIngestedRows(cleanStore), dumpIngestedRows(killedStore)]);
      // The clean run stored exactly the papers and versions the recorded responses contain.
      const recorded = new Map(API_PAGES.flatMap((file) => parseApiFeed(fs.readFileSync(file, 'utf8')).records).map((r) => [r.id, r.version]));
      const storedVersions = new Map((expected.papers as Array<{ id: string; latest_version: number }>).map((p) => [p.id, p.latest_version]));
      assert.deepEqual(storedVersions, new Map([...recorded].sort(([a], [b]) => a.localeCompare(b))));
      for (const table of Object.keys(expected)) assert.deepEqual(actual[table], expected[table], `table ${table} matches row by row`);
      const runs = await killedStore.db.selectFrom('ingest_runs').select(['status', 'fetched']).execute();
      assert.deepEqual(runs, [{ status: 'success', fetched: 400 }], 'one run, resumed, counted once');
    } finally {
      await cleanStore.close();
      await killedStore.close();
    }
  } finally {
    await server.close();
  }
});
