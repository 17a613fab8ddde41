/**
 * Random kills: an ingest child process and a summarise child process are SIGKILLed at seeded random
 * points, again and again on the same database. After every kill: no lost paper (every stored paper
 * whole), no duplicate, no half-written summary. At the end the work is resumed to completion and
 * compared row by row with an uninterrupted run; whenever a killed run had already finished, that
 * cycle is compared and the next kill starts from scratch again. `npm test` runs 5 kills of each; `npm run test:soak`
 * (PAPERSIFT_SOAK=1) 50 of each. PAPERSIFT_FUZZ_SEED replays the same kill points.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { assertStorageIntact, dropTestDatabases, freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { recordedApiEntries, startReplayServer, type ReplayServer } from '../helpers/arxiv-replay-server.ts';
import { dumpIngestedRows } from '../helpers/ingest.ts';
import { runs, SEED, seededRandom } from './settings.ts';

const CATEGORIES = 'cs.AI,cs.LG,cs.CL,cs.CV,cs.NE,cs.SE,cs.CR,cs.DC';
const INGEST = ['ingest', '--from', '2025-12-01', '--to', '2025-12-31', '--via', 'api', '--categories', CATEGORIES];
const PAGE_SIZE = 50;
const KILLS = runs(5, 50);

const temp = makeTempDir('papersift-kills-');
let replay: ReplayServer;
let onRequest: ((count: number) => void) | undefined;

function start(args: string[], database: TestDatabase): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> } {
  const began = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...OFFLINE_ENV, DATABASE_URL: database.url, PAPERSIFT_CATEGORIES: CATEGORIES, ARXIV_API_URL: replay.apiUrl, ARXIV_API_PAGE_SIZE: String(PAGE_SIZE), ARXIV_MIN_INTERVAL_MS: '20', ARXIV_BACKOFF_MS: '10' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, exited: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - began }))) };
}

async function withStore<T>(database: TestDatabase, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await database.open();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const integrity = assertStorageIntact;

/** What must hold after any kill of an ingest: whole pages of whole papers, no duplicate, nothing unknown. */
async function assertIngestInvariants(store: Store, recorded: Set<string>, what: string): Promise<number> {
  await integrity(store);
  const rows = await dumpIngestedRows(store);
  const ids = (rows.papers as Array<{ id: string }>).map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, `${what}: no duplicate paper`);
  assert.equal(ids.length % PAGE_SIZE, 0, `${what}: whole pages only (${ids.length} papers)`);
  for (const id of ids) assert.ok(recorded.has(id), `${what}: ${id} is a recorded paper`);
  const withVersions = new Set((rows.versions as Array<{ paper_id: string }>).map((v) => v.paper_id));
  const withAuthors = new Set((rows.authors as Array<{ paper_id: string }>).map((a) => a.paper_id));
  const withCategories = new Set((rows.categories as Array<{ paper_id: string }>).map((c) => c.paper_id));
  for (const id of ids) assert.ok(withVersions.has(id) && withAuthors.has(id) && withCategories.has(id), `${what}: ${id} is stored whole (versions, authors, categories)`);
  return ids.length;
}

/** After any kill of the summariser: a paper marked summarised has its one whole summary; no summary without its paper's mark. */
async function assertSummaryInvariants(store: Store, what: string): Promise<number> {
  await integrity(store);
  const papers = await store.db.selectFrom('papers').select(['id', 'latest_version', 'summary_status']).execute();
  const summaries = await store.db.selectFrom('summaries').selectAll().execute();
  const byPaper = new Map<string, typeof summaries>();
  for (const summary of summaries) byPaper.set(summary.paper_id, [...(byPaper.get(summary.paper_id) ?? []), summary]);
  let done = 0;
  for (const paper of papers) {
    const own = (byPaper.get(paper.id) ?? []).filter((s) => s.version === paper.latest_version);
    if (paper.summary_status === 'success' || paper.summary_status === 'fallback') {
      done += 1;
      assert.equal(own.length, 1, `${what}: ${paper.id} is marked ${paper.summary_status} and has exactly one summary of v${paper.latest_version}`);
      const summary = own[0]!;
      assert.ok(summary.tldr.trim().length > 0 && summary.summary.trim().length > 0 && summary.results.trim().length > 0, `${what}: ${paper.id}'s summary is whole`);
      const highlights = JSON.parse(summary.highlights) as unknown;
      assert.ok(Array.isArray(highlights) && highlights.length === 4, `${what}: ${paper.id} has its 4 highlights`);
      const tags = JSON.parse(summary.tags) as unknown;
      assert.ok(Array.isArray(tags) && tags.length >= 1, `${what}: ${paper.id} has its tags`);
    } else {
      assert.equal(own.length, 0, `${what}: ${paper.id} is ${paper.summary_status} and has no summary of its version yet`);
    }
  }
  return done;
}

// A summary is its paper version's (paper_id, version); the surrogate id is left out: PostgreSQL's
// sequences do not roll back, so a transaction a kill aborted leaves a gap in them (SQLite reuses the rowid).
const summaryRows = (store: Store) => store.db.selectFrom('summaries').selectAll().orderBy('paper_id').orderBy('version').execute().then((rows) => rows.map(({ created_at: _c, id: _id, ...row }) => row));

let cleanDb: TestDatabase;
let cleanIngest: Record<string, unknown[]>;
let recorded: Set<string>;

before(async () => {
  replay = await startReplayServer({ apiEntries: recordedApiEntries(), onRequest: (count) => onRequest?.(count) });
  cleanDb = await freshDatabase(temp.dir, 'clean');
  const clean = await start(INGEST, cleanDb).exited;
  assert.equal(clean.code, 0, clean.stderr);
  cleanIngest = await withStore(cleanDb, dumpIngestedRows);
  recorded = new Set((cleanIngest.papers as Array<{ id: string }>).map((p) => p.id));
  console.log(`# random kills: ${KILLS} kills each of ingest and summarise, seed ${SEED} (replay with PAPERSIFT_FUZZ_SEED=${SEED})`);
});
after(async () => {
  await replay?.close();
  await dropTestDatabases();
  temp.cleanup();
});

test(`ingest SIGKILLed at ${KILLS} seeded random points: after each, whole papers and no duplicates; resumed, the rows of a clean run`, { timeout: 1_800_000 }, async () => {
  const random = seededRandom(SEED);
  let database = await freshDatabase(temp.dir, 'killed-ingest');
  const pages = replay.requests.length; // one clean run's page requests
  const outcomes: string[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) {
    // Kill while a page request arrives (before the answer), or up to 60 ms later (while it is parsed and stored).
    const atRequest = 1 + Math.floor(random() * pages);
    const delayMs = Math.floor(random() * 60);
    let seen = 0;
    const run = start(INGEST, database);
    onRequest = () => {
      seen += 1;
      if (seen === atRequest) setTimeout(() => run.child.kill('SIGKILL'), delayMs);
    };
    const result = await run.exited;
    onRequest = undefined;
    // A kill point after the last page may find the run finished: that is a run, not a failure.
    assert.ok(result.signal === 'SIGKILL' || result.code === 0, `kill ${kill}: ${result.stderr}`);
    const stored = await withStore(database, (store) => assertIngestInvariants(store, recorded, `after kill ${kill} (request ${atRequest} +${delayMs} ms)`));
    outcomes.push(`${atRequest}+${delayMs}ms:${result.signal ?? 'exit0'}:${stored}`);
    if (stored === recorded.size) {
      // Everything is in: check this cycle against the clean run and start the next one from nothing,
      // so later kills land in the middle of a backfill again.
      await assertResumedIngest(database);
      await database.drop();
      database = await freshDatabase(temp.dir, 'killed-ingest');
    }
  }
  console.log(`# ingest kills (request+delay:outcome:papers stored): ${outcomes.join(' ')}`);
  await assertResumedIngest(database);
});

/** Runs the backfill to completion on `database` and compares it with the clean run. */
async function assertResumedIngest(database: TestDatabase): Promise<void> {
  const finish = await start(INGEST, database).exited;
  assert.equal(finish.code, 0, finish.stderr);
  await withStore(database, async (store) => {
    await integrity(store);
    const rows = await dumpIngestedRows(store);
    for (const table of Object.keys(cleanIngest)) assert.deepEqual(rows[table], cleanIngest[table], `table ${table} matches the clean run row by row`);
    const runsTable = await store.db.selectFrom('ingest_runs').select('status').execute();
    assert.ok(runsTable.length >= 1 && runsTable.every((r) => r.status === 'success'), `every run finished: ${JSON.stringify(runsTable)}`);
  });
}

test(`summarise SIGKILLed at ${KILLS} seeded random points: after each, no half-written summary; resumed, the summaries of an uninterrupted run`, { timeout: 1_800_000 }, async () => {
  const random = seededRandom(SEED ^ 0x5eed);
  // The reference: the ingested papers summarised in one go.
  const referenceDb = await freshDatabase(temp.dir, 'summarized-clean', cleanDb);
  const reference = await start(['summarize'], referenceDb).exited;
  assert.equal(reference.code, 0, reference.stderr);
  const expected = await withStore(referenceDb, async (store) => {
    assert.equal(await assertSummaryInvariants(store, 'the uninterrupted run'), recorded.size);
    return summaryRows(store);
  });

  let database = await freshDatabase(temp.dir, 'killed-summarize', cleanDb);
  const outcomes: string[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) {
    // Anywhere from start-up to the end of a whole run (the process start and the work both count).
    const atMs = Math.floor(random() * reference.ms);
    const run = start(['summarize'], database);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), atMs);
    const result = await run.exited;
    clearTimeout(timer);
    assert.ok(result.signal === 'SIGKILL' || result.code === 0, `kill ${kill}: ${result.stderr}`);
    const done = await withStore(database, (store) => assertSummaryInvariants(store, `after kill ${kill} at ${atMs} ms`));
    outcomes.push(`${atMs}ms:${result.signal ?? 'exit0'}:${done}`);
    if (done === recorded.size) {
      // All summarised: compare this cycle, then start again from the unsummarised papers.
      await assertResumedSummaries(database);
      await database.drop();
      database = await freshDatabase(temp.dir, 'killed-summarize', cleanDb);
    }
  }
  console.log(`# summarise kills (time:outcome:papers summarised): ${outcomes.join(' ')}`);
  await assertResumedSummaries(database);

  async function assertResumedSummaries(file: TestDatabase): Promise<void> {
    const finish = await start(['summarize'], file).exited;
    assert.equal(finish.code, 0, finish.stderr);
    await withStore(file, async (store) => {
      assert.equal(await assertSummaryInvariants(store, 'after the resume'), recorded.size);
      assert.deepEqual(await summaryRows(store), expected, 'the same summaries as the uninterrupted run, row by row');
    });
  }
});
