/**
 * The fault suite: real clients against real loopback servers that hang, reset connections mid-body,
 * answer slowly, answer 429/503 for a long stretch, or send truncated bodies. For the arXiv ingest
 * (a real CLI child process), Semantic Scholar/OpenAlex enrichment and the LLM summariser: each run
 * ends with a clear error or log line, retries exactly as configured, and the database holds whole
 * pages/answers only (checked after every run), so a rerun against a healthy server completes to the
 * same rows as a run that never failed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { enrichAuthors } from '../../src/enrich/enrich-authors.ts';
import { createEnrichmentSources } from '../../src/enrich/sources.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { createTestContext, makeTempDir } from '../helpers/context.ts';
import { assertStorageIntact, dropTestDatabases, freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { recordedApiEntries, startReplayServer, type ReplayServer } from '../helpers/arxiv-replay-server.ts';
import { dumpIngestedRows } from '../helpers/ingest.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';
import { bundledPapers } from '../helpers/snapshot.ts';
import { snapshotEnrichment } from '../enrich/fixtures.ts';
import { describeFault, startFaultProxy, type Fault } from './fault-proxy.ts';
import { SOAK } from './settings.ts';
import { createLlmTest, goodAnswer } from '../llm/kit.ts';

const temp = makeTempDir('papersift-faults-');
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

// ---------------------------------------------------------------------------------------------
// arXiv: a multi-page API backfill as a child process, through the fault proxy
// ---------------------------------------------------------------------------------------------

const CATEGORIES = 'cs.AI,cs.LG,cs.CL,cs.CV,cs.NE,cs.SE,cs.CR,cs.DC';
const ARGS = ['ingest', '--from', '2025-12-01', '--to', '2025-12-31', '--via', 'api', '--categories', CATEGORIES];
const MAX_RETRIES = 2;
const TIMEOUT_MS = 1000;
const PAGE_SIZE = 50;

let replay: ReplayServer;
let cleanRows: Record<string, unknown[]>;

function runIngest(apiUrl: string, database: TestDatabase, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...ARGS], {
    env: {
      ...process.env,
      ...OFFLINE_ENV,
      DATABASE_URL: database.url,
      PAPERSIFT_CATEGORIES: CATEGORIES,
      ARXIV_API_URL: apiUrl,
      ARXIV_API_PAGE_SIZE: String(PAGE_SIZE),
      ARXIV_MIN_INTERVAL_MS: '5',
      ARXIV_BACKOFF_MS: '10',
      ARXIV_MAX_RETRIES: String(MAX_RETRIES),
      ARXIV_TIMEOUT_MS: String(TIMEOUT_MS),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr, ms: Date.now() - started })));
}

/** The DB after a failed run: whole pages only, a failed run with its error recorded, nothing corrupt. */
async function assertConsistentAfterFailure(database: TestDatabase, pagesStored: number): Promise<void> {
  const store = await database.open();
  try {
    await assertStorageIntact(store);
    const rows = await dumpIngestedRows(store);
    const cleanIds = (cleanRows.papers as Array<{ id: string }>).map((p) => p.id);
    const ids = (rows.papers as Array<{ id: string }>).map((p) => p.id);
    assert.equal(ids.length, pagesStored * PAGE_SIZE, `exactly the ${pagesStored} whole pages before the fault`);
    assert.equal(new Set(ids).size, ids.length, 'no duplicate paper');
    for (const id of ids) assert.ok(cleanIds.includes(id), `${id} is a recorded paper`);
    // Every stored paper is whole: its versions, categories and authors are there.
    const versions = new Set((rows.versions as Array<{ paper_id: string }>).map((v) => v.paper_id));
    const categories = new Set((rows.categories as Array<{ paper_id: string }>).map((c) => c.paper_id));
    for (const id of ids) assert.ok(versions.has(id) && categories.has(id), `${id} is stored whole`);
    const runs = await store.db.selectFrom('ingest_runs').select(['status', 'error']).execute();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status, 'failed');
    assert.ok(runs[0]!.error && runs[0]!.error.length > 0, 'the run records why it failed');
  } finally {
    await store.close();
  }
}

async function assertSameAsClean(database: TestDatabase): Promise<void> {
  const store = await database.open();
  try {
    const rows = await dumpIngestedRows(store);
    for (const table of Object.keys(cleanRows)) assert.deepEqual(rows[table], cleanRows[table], `table ${table} matches the clean run row by row`);
    const runs = await store.db.selectFrom('ingest_runs').select(['status']).execute();
    assert.deepEqual(runs, [{ status: 'success' }]);
  } finally {
    await store.close();
  }
}

const pageOf = (requestPath: string) => Number(new URL(requestPath, 'http://x').searchParams.get('start') ?? 0) / PAGE_SIZE;

before(async () => {
  replay = await startReplayServer({ apiEntries: recordedApiEntries() });
  const cleanDb = await freshDatabase(temp.dir, 'clean');
  const clean = await runIngest(replay.apiUrl, cleanDb);
  assert.equal(clean.code, 0, clean.stderr);
  const store = await cleanDb.open();
  cleanRows = await dumpIngestedRows(store);
  await store.close();
  assert.equal(cleanRows.papers!.length, 400);
});
after(() => replay?.close());

/** Persistent faults on page 3 of 8: the run fails after the configured retries with a clear message, then resumes to the clean result. */
const PERSISTENT: Array<{ fault: Fault; message: RegExp }> = [
  { fault: 'hang', message: /timed out \(no complete response within 1000 ms\) after 3 attempts/ },
  { fault: 'reset', message: /network error|socket|terminated|reset|closed/i },
  { fault: 'truncate', message: /truncated or malformed XML at line \d+/ },
  { fault: { status: 503 }, message: /503/ },
  // A body dripping slower than the timeout; the slow-but-in-time case is in the transient test. Soak only, it takes 3 timeouts.
  ...(SOAK ? [{ fault: { slowMs: TIMEOUT_MS * 3 }, message: /timed out/ }] : []),
];

for (const { fault, message } of PERSISTENT) {
  test(`arXiv ingest, page 3 always ${describeFault(fault)}: a clear error after the configured attempts, whole pages kept, resumes to the clean result`, { timeout: 120_000 }, async () => {
    const proxy = await startFaultProxy(replay.url, (_, req) => (pageOf(req.path) === 2 ? fault : 'pass'));
    const database = await freshDatabase(temp.dir, `persistent-${describeFault(fault).replace(/\W+/g, '-')}`);
    try {
      const failed = await runIngest(`${proxy.url}/api/query`, database);
      assert.equal(failed.code, 1, `the run fails: ${failed.stderr}`);
      const line = failed.stderr.trim().split('\n').pop() ?? '';
      assert.match(line, /^papersift: /, 'one error line');
      assert.match(line, message, `a clear error line: ${line}`);
      assert.doesNotMatch(failed.stderr, /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');
      const attempts = proxy.log.filter((r) => pageOf(r.path) === 2).length;
      // A body that is complete as HTTP but truncated as XML is not a transient fault: it is not retried.
      assert.equal(attempts, fault === 'truncate' ? 1 : MAX_RETRIES + 1, `page 3 was asked ${attempts} times`);
      await assertConsistentAfterFailure(database, 2);
      const resumed = await runIngest(replay.apiUrl, database);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /resuming interrupted backfill/);
      await assertSameAsClean(database);
    } finally {
      await proxy.close();
    }
  });
}

test('arXiv ingest through a long stretch of 503s and 429s (Retry-After), resets and slow answers that each clear within the retries: completes to the clean result', { timeout: 120_000 }, async () => {
  // Every page fails its first attempts with a different fault, so 8 pages cross every kind.
  const transient: Fault[] = [{ status: 503 }, 'reset', { status: 429, retryAfter: '1' }, 'hang', { status: 502 }, { status: 503 }, 'reset', { status: 500 }];
  const seen = new Map<number, number>();
  const proxy = await startFaultProxy(replay.url, (_, req) => {
    const page = pageOf(req.path);
    const attempt = (seen.get(page) ?? 0) + 1;
    seen.set(page, attempt);
    if (attempt <= MAX_RETRIES) return transient[page % transient.length]!;
    return { slowMs: 200 };
  });
  const database = await freshDatabase(temp.dir, 'transient');
  try {
    const run = await runIngest(`${proxy.url}/api/query`, database);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(proxy.log.length, 8 * (MAX_RETRIES + 1), 'every page: MAX_RETRIES failures, then the slow success');
    assert.ok(run.ms >= 2000, 'the Retry-After: 1 of page 3 was waited out twice');
    await assertSameAsClean(database);
  } finally {
    await proxy.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Semantic Scholar and OpenAlex: enrichment through the fault proxy
// ---------------------------------------------------------------------------------------------

/** A logger that keeps what it is told (the real logger's interface), for the "clear log line" checks. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  // The real logger's line format, minus the timestamp.
  return Object.assign(createLogger('debug', (line) => void lines.push(line.replace(/^\S+ /, ''))), { lines });
}

let scholarly: ScholarlyServer;
before(async () => {
  scholarly = await startScholarlyServer(snapshotEnrichment());
});
after(() => scholarly?.close());

async function enrichmentRows(ctx: Awaited<ReturnType<typeof createTestContext>>) {
  return {
    lookups: await ctx.store.db.selectFrom('paper_lookups').selectAll().orderBy('paper_id').orderBy('source').execute(),
    external: await ctx.store.db.selectFrom('external_authors').selectAll().orderBy('source').orderBy('external_id').execute(),
    matches: await ctx.store.db.selectFrom('paper_author_matches').selectAll().orderBy('paper_id').orderBy('position').orderBy('source').execute(),
  };
}

for (const fault of ['hang', 'reset', 'truncate', { status: 503 }, { status: 429, retryAfter: '0' }] as Fault[]) {
  test(`enrichment, every S2 and OpenAlex answer ${describeFault(fault)}: both marked unavailable with a clear log line, nothing stored, a later run fills everything`, { timeout: 120_000 }, async () => {
    const proxy = await startFaultProxy(scholarly.s2Url.replace(/\/graph\/v1$/, ''), () => fault);
    const s2Path = new URL(scholarly.s2Url).pathname;
    const oaProxy = await startFaultProxy(scholarly.openAlexUrl, () => fault);
    const env = {
      PAPERSIFT_ENRICH: 'auto',
      SEMANTIC_SCHOLAR_API_URL: `${proxy.url}${s2Path}`,
      OPENALEX_API_URL: oaProxy.url,
      SEMANTIC_SCHOLAR_MIN_INTERVAL_MS: '0',
      OPENALEX_MIN_INTERVAL_MS: '0',
      ENRICH_BACKOFF_MS: '1',
      ENRICH_MAX_RETRIES: String(MAX_RETRIES),
      ENRICH_TIMEOUT_MS: '500',
    };
    const ctx = await createTestContext(env);
    try {
      await storeAnnouncedPapers(ctx.store.db, (await bundledPapers()).slice(0, 30), 'test');
      const logger = recordingLogger();
      const before = await enrichmentRows(ctx);
      const totals = await enrichAuthors({ ...ctx, logger }, createEnrichmentSources(ctx.config, logger));
      assert.deepEqual([...totals.unreachable].sort(), ['OpenAlex', 'Semantic Scholar']);
      const warnings = logger.lines.filter((l) => l.startsWith('warn') && /unavailable; keeping stored data/.test(l));
      assert.equal(warnings.length, 2, logger.lines.join('\n'));
      for (const warning of warnings) assert.match(warning, /timed? ?out|timeout|network|socket|unexpected response|not JSON|429|503|rate/i);
      // Retryable faults are retried as configured; a truncated (complete but cut) JSON body is a format error at once.
      const expectedAttempts = fault === 'truncate' ? 1 : MAX_RETRIES + 1;
      assert.equal(proxy.log.length, expectedAttempts, `S2 asked ${proxy.log.length} times`);
      assert.equal(oaProxy.log.length, expectedAttempts, `OpenAlex asked ${oaProxy.log.length} times`);
      assert.deepEqual(await enrichmentRows(ctx), before, 'nothing stored half-way');
      // The services come back: everything is filled in.
      const healthy = await createTestContext({ ...env, DATABASE_URL: ctx.config.database.dialect === 'sqlite' ? ctx.config.database.file : ctx.config.database.url, SEMANTIC_SCHOLAR_API_URL: scholarly.s2Url, OPENALEX_API_URL: scholarly.openAlexUrl });
      try {
        const again = await enrichAuthors(healthy, createEnrichmentSources(healthy.config, healthy.logger));
        assert.deepEqual(again.unreachable, []);
        assert.ok((await enrichmentRows(healthy)).lookups.length > 0, 'lookups stored once the services answer');
      } finally {
        await healthy.store.close();
      }
    } finally {
      await ctx.close();
      await proxy.close();
      await oaProxy.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The LLM provider path: resets mid-body, truncated and slow answers (429/500/hang are in test/llm/failures.test.ts)
// ---------------------------------------------------------------------------------------------

for (const fault of ['reset', 'truncate', { slowMs: 1500 }, { status: 503, retryAfter: '0' }] as Fault[]) {
  test(`LLM answers always ${describeFault(fault)}: retried as configured, a whole fallback summary stored with the reason, the next run asks again`, { timeout: 120_000 }, async () => {
    let upstream = '';
    let broken = true;
    const proxy = await startFaultProxy(() => upstream, () => (broken ? fault : 'pass'));
    const t = await createLlmTest('openai-compatible', { papers: 2, env: { LLM_BASE_URL: `${proxy.url}/v1`, LLM_MAX_RETRIES: '1', LLM_TIMEOUT_MS: '1000', LLM_CONCURRENCY: '1' }, handler: async (request) => ({ answer: await goodAnswer(request) }) });
    upstream = t.server.url;
    try {
      assert.deepEqual(await t.run(), { summarized: 0, fallback: 2, skipped: 0, failed: 0 });
      const ledger = await t.ledger();
      assert.equal(proxy.log.length, 2 * 2, `each paper: 1 request + LLM_MAX_RETRIES: ${JSON.stringify(ledger.map((r) => [r.outcome, r.error]))}`);
      assert.equal(ledger.length, 4);
      assert.ok(ledger.every((r) => ['http_error', 'timeout'].includes(r.outcome) && (r.error ?? '').length > 0), JSON.stringify(ledger.map((r) => [r.outcome, r.error])));
      if (fault === 'reset' || fault === 'truncate') assert.ok(ledger.every((r) => /cut short or unreadable/.test(r.error ?? '')), 'the ledger names the cut answer');
      const papers = await t.ctx.store.db.selectFrom('papers').select(['id', 'summary_status', 'summary_error']).orderBy('id').execute();
      for (const paper of papers) {
        assert.equal(paper.summary_status, 'fallback');
        assert.ok(paper.summary_error && paper.summary_error.length > 0, 'the reason is recorded');
      }
      const summaries = await t.ctx.store.db.selectFrom('summaries').selectAll().execute();
      assert.equal(summaries.length, 2, 'one whole (offline) summary per paper, nothing half-written');
      for (const summary of summaries) assert.ok(summary.outcome === 'fallback' && summary.tldr.length > 0 && (JSON.parse(summary.highlights) as unknown[]).length === 4);
      broken = false;
      assert.deepEqual(await t.run(t.makeEngine()), { summarized: 2, fallback: 0, skipped: 0, failed: 0 });
      // The fallback stays beside the LLM summary (summaries are kept per engine); each key once.
      const keys = (await t.ctx.store.db.selectFrom('summaries').selectAll().execute()).map((r) => `${r.paper_id}v${r.version} ${r.engine} ${r.model} ${r.prompt_version}`);
      assert.equal(new Set(keys).size, keys.length, `no duplicate summary: ${keys.join(', ')}`);
      const statuses = await t.ctx.store.db.selectFrom('papers').select('summary_status').execute();
      assert.ok(statuses.every((p) => p.summary_status === 'success'));
    } finally {
      await t.close();
      await proxy.close();
    }
  });
}
