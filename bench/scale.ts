/**
 * `npm run bench -- --scale N` (issue 9): a store of N generated papers, built through the same
 * repository functions an ingest uses, then the real web app over it in its own process.
 *
 * Measured, each beside a baseline from the same run:
 * - store throughput as the store grows: the last tenth of the papers against the first tenth;
 * - store size on disk, per paper;
 * - digest, search, paper and profile (an author with 1,000 papers) latency under load, against a
 *   static server answering with the digest page's own bytes;
 * - the server's resident memory before and after the load.
 */
import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSnapshot } from '../src/arxiv/snapshot.ts';
import { DEFAULT_SNAPSHOT_PATH } from '../src/config/config.ts';
import { scorePendingPapers } from '../src/score/score-papers.ts';
import { refreshDigests } from '../src/select/refresh-digests.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { storeAnnouncedPapers } from '../src/store/papers.ts';
import { createOfflineEngine } from '../src/summarize/offline/extractive-engine.ts';
import { summarizePendingPapers } from '../src/summarize/summarize-pending.ts';
import { generatePaperDays, weekdaysBefore } from './score-select.ts';
import { ratioTo, type BenchResult } from './types.ts';
import { digestAsSent, load, overloadRun, sequentialLatency, startServer, writeStaticDigest, type Load, type OverloadRun, type Sent } from './web-load.ts';

const PER_DAY = 2000;
const PROFILE_PAPERS = 1000;
const SEARCH_ROUNDS = 5;
const PROFILE_ROUNDS = 20;
const ONE_AT_A_TIME_BASELINE = 'static requests/s, one at a time';
const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];
const SEARCH_QUERIES = ['transformer', 'graph neural network', '"reinforcement learning"', 'diffusion models image', 'large language model reasoning', 'federated'];

function log(message: string): void {
  process.stderr.write(`bench scale: ${message}\n`);
}

function fileMiB(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size / 2 ** 20 : 0;
}

interface BuiltStore {
  file: string;
  results: BenchResult[];
  authorId: number;
  paperId: string;
}

/** Gives one author 1,000 papers spread over the whole history (position 0), as enrichment would after merging. */
async function authorWithManyPapers(store: Store, total: number): Promise<number> {
  const step = Math.max(1, Math.floor(total / PROFILE_PAPERS));
  const papers = await sql<{ id: string }>`SELECT id FROM papers WHERE seq % ${step} = 0 ORDER BY seq LIMIT ${PROFILE_PAPERS}`.execute(store.db);
  const ids = papers.rows.map((r) => r.id);
  return store.db.transaction().execute(async (tx) => {
    const author = await tx
      .insertInto('authors')
      .values({ name: 'Ada Scale', name_key: 'ada scale', semantic_scholar_id: '999000001', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < ids.length; i += 500) {
      await tx.updateTable('paper_authors').set({ author_id: author.id, name: 'Ada Scale' }).where('position', '=', 0).where('paper_id', 'in', ids.slice(i, i + 500)).execute();
    }
    return author.id;
  });
}

export async function buildScaleStore(total: number, dir: string): Promise<BuiltStore> {
  const templates = (await readSnapshot(DEFAULT_SNAPSHOT_PATH)).map((p) => p.record);
  const days = weekdaysBefore('2026-06-26', Math.ceil(total / PER_DAY));
  // Warm-up into a scratch store, so the first tenth is not measured while V8 compiles the store code.
  const scratch = await openStore({ dialect: 'sqlite', file: path.join(dir, 'warm-up.db') });
  await storeAnnouncedPapers(scratch.db, generatePaperDays(templates, days.slice(0, 1), PER_DAY).next().value!, 'bench-warm-up');
  await scratch.close();
  const file = path.join(dir, 'scale.db');
  const store = await openStore({ dialect: 'sqlite', file });
  try {
    // Store throughput, one transaction per mailing day as an ingest commits a page.
    const dayMs: number[] = [];
    let stored = 0;
    let rawBytes = 0;
    let reported = Date.now();
    for (const batch of generatePaperDays(templates, days, PER_DAY)) {
      const papers = batch.slice(0, total - stored);
      for (const p of papers) rawBytes += Buffer.byteLength(JSON.stringify(p.record));
      const start = performance.now();
      await storeAnnouncedPapers(store.db, papers, 'bench-scale');
      dayMs.push(performance.now() - start);
      stored += papers.length;
      if (Date.now() - reported > 10_000) {
        reported = Date.now();
        log(`stored ${stored.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} papers`);
      }
    }
    const tenth = Math.max(1, Math.floor(dayMs.length / 10));
    const rate = (ms: number[]) => Math.round((ms.length * PER_DAY) / (ms.reduce((a, b) => a + b, 0) / 1000));
    const firstRate = rate(dayMs.slice(0, tenth));
    const lastRate = rate(dayMs.slice(-tenth));
    const storeS = dayMs.reduce((a, b) => a + b, 0) / 1000;

    // The latest day gets what a daily pass gives it: summaries, scores, its digest. Older papers are
    // marked skipped: summarising a million papers offline is most of an hour of one core, and
    // scoring a week against a million papers a quarter of an hour; the pages measured here read
    // neither (the search index holds title, abstract and authors for them).
    const today = days.at(-1)!;
    log(`summarising ${today}`);
    await store.db.updateTable('papers').set({ summary_status: 'skipped' }).where('first_announced_on', '<', today).execute();
    await summarizePendingPapers(store, createOfflineEngine());
    const authorId = await authorWithManyPapers(store, total);

    log('building the search index');
    const indexStart = performance.now();
    const indexed = await store.searchIndex.refresh();
    const indexS = (performance.now() - indexStart) / 1000;

    log(`scoring and selecting ${today}`);
    const cpuStart = process.cpuUsage();
    const scoreStart = performance.now();
    await scorePendingPapers(store, { days: [today] });
    await refreshDigests(store, { digestSize: 50, historyDays: 1, categories: CATEGORIES, maxTagShare: 0.4 });
    const scoreS = (performance.now() - scoreStart) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const paper = await store.db.selectFrom('digest_entries').select('paper_id').where('announced_on', '=', today).orderBy('rank').executeTakeFirstOrThrow();
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
    const sizeMiB = fileMiB(file) + fileMiB(`${file}-wal`);
    return {
      file,
      authorId,
      paperId: paper.paper_id,
      results: [
        { name: `scale: store, first tenth (baseline)`, value: firstRate, unit: 'papers/s', note: `${(tenth * PER_DAY).toLocaleString('en-US')} papers into an empty store, one transaction per day of ${PER_DAY}` },
        {
          name: `scale: store, last tenth`,
          value: lastRate,
          unit: 'papers/s',
          note: `with ${(total - tenth * PER_DAY).toLocaleString('en-US')} papers already stored; all ${total.toLocaleString('en-US')} in ${storeS.toFixed(0)} s`,
          ratio: ratioTo(lastRate, firstRate, 'first tenth'),
        },
        {
          name: 'scale: search index build',
          value: Math.round(indexed / indexS),
          unit: 'papers/s',
          note: `${indexed.toLocaleString('en-US')} papers indexed in ${indexS.toFixed(0)} s`,
          ratio: ratioTo(indexed / indexS, total / storeS, 'store rate'),
        },
        {
          name: 'scale: score + select one day',
          value: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
          unit: 's CPU',
          note: `${PER_DAY.toLocaleString('en-US')} papers against the ${(total - PER_DAY).toLocaleString('en-US')} before them; ${scoreS.toFixed(1)} s wall`,
        },
        {
          name: 'scale: store size on disk',
          value: Math.round(sizeMiB),
          unit: 'MiB',
          note: `${((sizeMiB * 2 ** 20) / total / 1024).toFixed(1)} KiB per paper (database file after a checkpoint); the records as JSON: ${Math.round(rawBytes / 2 ** 20)} MiB`,
          ratio: ratioTo(sizeMiB * 2 ** 20, rawBytes, 'the records as JSON'),
        },
      ],
    };
  } finally {
    await store.close();
  }
}

/** Resident and peak resident memory of a process, from /proc (Linux). */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Math.round(Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

function loadRow(name: string, figures: Load, baseline: Load | null, extra = '', baselineName = 'static requests/s'): BenchResult {
  return {
    name,
    value: figures.p99,
    unit: 'ms p99',
    note: `p50 ${figures.p50} ms, ${figures.rps.toLocaleString('en-US')} requests/s over ${figures.requests.toLocaleString('en-US')} requests${extra}`,
    ...(baseline ? { ratio: ratioTo(figures.rps, baseline.rps, baselineName) } : {}),
  };
}

/** Search under 50 connections: its 200s' p99, taking turns against no limit (the baseline). */
function overloadRows(turns: OverloadRun, unlimited: OverloadRun, seconds: number): BenchResult[] {
  const note = (run: OverloadRun) =>
    `answered (200): p50 ${run.answered.p50} ms, ${run.answered.rps} requests/s over ${run.answered.requests.toLocaleString('en-US')}; ` +
    `refused (503): ${run.refused.requests.toLocaleString('en-US')}, p99 ${run.refused.p99} ms; 50 connections for ${seconds} s, a refused client waiting Retry-After (1 s) before its next request`;
  return [
    { name: 'scale: search, 50 connections, page cache off, no limit (baseline)', value: unlimited.answered.p99, unit: 'ms p99', note: `PAPERSIFT_SEARCH_CONCURRENCY=0; ${note(unlimited)}` },
    {
      name: 'scale: search, 50 connections, page cache off, searches take turns',
      value: turns.answered.p99,
      unit: 'ms p99',
      note: `the defaults (2 at once, a wait of at most 2 s); ${note(turns)}`,
      ratio: ratioTo(turns.answered.p99, unlimited.answered.p99, 'p99 with no limit'),
    },
  ];
}

export async function benchScale(total: number, seconds = 10): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-bench-scale-'));
  try {
    const built = await buildScaleStore(total, dir);
    // The digest as visitors get it (the page cache on: built once per store change); paper pages,
    // searches and the profile with the cache off, so every request pays the query and the render:
    // the cost at this size of a page not seen since the last commit, or of a new query.
    log('serving the store');
    let sent: { identity: Sent; br: Sent; gzip: Sent } | undefined;
    const measured = new Map<string, Load>();
    const memory = new Map<string, { before: { rss: number; peak: number }; after: { rss: number; peak: number } }>();
    // Search and the profile are timed one request at a time (what one visitor waits); search is
    // then also overloaded with 50 connections, once taking turns (the default) and once with no
    // limit, the baseline: there concurrent searches share the one thread at their awaits and all
    // finish late (see docs/benchmarks.md).
    const oneAtATime = new Set(['search', 'profile']);
    const searchPaths = SEARCH_QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`);
    const overload = new Map<'turns' | 'no limit', OverloadRun>();
    const servers: Array<['app' | 'app-uncached', Array<[string, string[]]>]> = [
      ['app', [['digest', ['/']]]],
      [
        'app-uncached',
        [
          ['paper', [`/papers/${built.paperId}`]],
          ['search', searchPaths],
          ['profile', [`/authors/${built.authorId}`]],
        ],
      ],
    ];
    for (const [mode, targets] of servers) {
      const app = await startServer(mode, built.file);
      try {
        const before = memoryMiB(app.pid);
        for (const [name, paths] of targets) {
          if (oneAtATime.has(name)) {
            await sequentialLatency(app.url, paths, 1); // warm-up: JIT, SQLite page cache
            measured.set(name, await sequentialLatency(app.url, paths, name === 'search' ? SEARCH_ROUNDS : PROFILE_ROUNDS));
            if (name === 'search') overload.set('turns', await overloadRun(app.url, paths, seconds));
            continue;
          }
          await load(app.url, paths, 3); // warm-up: JIT, SQLite page cache
          measured.set(name, await load(app.url, paths, seconds));
          // The digest as kept once warm (brotli 11), for the static baseline to send the same bytes.
          if (name === 'digest') sent = await digestAsSent(app.url);
        }
        memory.set(mode, { before, after: memoryMiB(app.pid) });
      } finally {
        await app.stop();
      }
    }
    log('overloading search with no limit (the baseline)');
    const unlimited = await startServer('app-uncached', built.file, { PAPERSIFT_SEARCH_CONCURRENCY: '0' });
    try {
      await sequentialLatency(unlimited.url, searchPaths, 1);
      overload.set('no limit', await overloadRun(unlimited.url, searchPaths, seconds));
    } finally {
      await unlimited.stop();
    }
    const htmlFile = path.join(dir, 'digest.html');
    writeStaticDigest(htmlFile, sent!.identity, sent!.br, sent!.gzip);
    const staticServer = await startServer('static', htmlFile);
    let baseline: Load;
    let baselineOneAtATime: Load;
    try {
      await load(staticServer.url, ['/'], 3);
      baseline = await load(staticServer.url, ['/'], seconds);
      baselineOneAtATime = await sequentialLatency(staticServer.url, ['/'], 30);
    } finally {
      await staticServer.stop();
    }
    return [
      ...built.results,
      loadRow('scale: static file, same digest bytes and headers (baseline)', baseline, null, `; ${Math.round(sent!.br.body.byteLength / 1024)} KiB as br (${Math.round(sent!.identity.body.byteLength / 1024)} KiB uncompressed)`),
      loadRow('scale: static file, one request at a time (baseline)', baselineOneAtATime, null),
      loadRow('scale: digest /', measured.get('digest')!, baseline),
      loadRow('scale: paper page, page cache off', measured.get('paper')!, baseline),
      // One request at a time, against the static file sent one request at a time.
      loadRow('scale: search, page cache off', measured.get('search')!, baselineOneAtATime, `; one request at a time, ${SEARCH_QUERIES.length} queries in turn`, ONE_AT_A_TIME_BASELINE),
      ...overloadRows(overload.get('turns')!, overload.get('no limit')!, seconds),
      loadRow(`scale: profile, author with ${PROFILE_PAPERS} papers, page cache off`, measured.get('profile')!, baselineOneAtATime, '; one request at a time', ONE_AT_A_TIME_BASELINE),
      ...[...memory].map(([mode, { before, after }]) => ({
        name: `scale: web server memory (resident), ${mode === 'app' ? 'digest, page cache on' : 'the rest, page cache off'}`,
        value: after.rss,
        unit: 'MiB',
        note: `${before.rss} MiB before the load, peak ${after.peak} MiB; 50 connections, ${seconds} s per route after 3 s of warm-up${mode === 'app' ? '' : ' (search and profile one request at a time, then search overloaded with turns; the no-limit overload ran in a server of its own)'}`,
        ratio: ratioTo(after.rss, before.rss, 'before the load'),
      })),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
