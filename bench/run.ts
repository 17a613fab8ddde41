/**
 * `npm run bench`: runs every benchmark, prints one table and writes docs/benchmarks.md and
 * bench/results.json. Each figure sits next to a baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { readQualityFigures } from '../src/eval/run-eval.ts';
import { parseScriptArgs, usageError } from '../src/eval/script-args.ts';
import { benchCliStart } from './cli-start.ts';
import { benchIngestThroughput } from './ingest-throughput.ts';
import { benchScale } from './scale.ts';
import { benchScoreAndSelect } from './score-select.ts';
import { benchOfflineSummariser } from './summariser-throughput.ts';
import { benchPersonalRanking } from './personal-ranking.ts';
import { benchRateGate } from './rate-gate.ts';
import { benchWorkerScaling } from './worker-scaling.ts';
import type { BenchResult } from './types.ts';
import { benchWebLoad } from './web-load.ts';
import { benchWebLoadPostgres } from './web-load-postgres.ts';

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;

interface BenchRun {
  started: string;
  machine: string;
  /** 1, 5 and 15 minute load averages when the run ended: above the core count, every figure is low. */
  loadAverage?: number[];
  /** Benchmarks run again alone since (`--only`), whose results replaced theirs in `results`. */
  reruns?: Array<{ benches: string[]; started: string; loadAverage: number[] }>;
  results: Array<BenchResult & { bench?: string }>;
}

const RESULTS_FILE = path.join(PROJECT_ROOT, 'bench/results.json');
const SCALE_RESULTS_FILE = path.join(PROJECT_ROOT, 'bench/scale-results.json');

function readRun(file: string): BenchRun | null {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchRun) : null;
}

/** The regular run's benchmarks, in table order, by the names `--only` takes. */
const BENCHES: ReadonlyArray<readonly [string, string, () => Promise<BenchResult[]>]> = [
  ['ingest', 'ingest', () => benchIngestThroughput()],
  ['summarise', 'summarise', () => benchOfflineSummariser()],
  ['score', 'score and select', () => benchScoreAndSelect()],
  ['personal', 'personal ranking', () => benchPersonalRanking()],
  ['web', 'web load', () => benchWebLoad()],
  ['web-postgres', 'web load on PostgreSQL', () => benchWebLoadPostgres()],
  ['workers', 'summarise workers on PostgreSQL', () => benchWorkerScaling()],
  ['cli', 'CLI start', () => benchCliStart()],
  ['gate', 'shared rate gates', () => benchRateGate()],
];

/** Which benchmark a stored result came from (results written before they were labelled: by name). */
function benchOf(result: BenchRun['results'][number]): string {
  if (result.bench) return result.bench;
  if (result.name.startsWith('web:')) return 'web';
  if (result.name.startsWith('cli:')) return 'cli';
  if (result.name.startsWith('ingest') || result.name.startsWith('search indexing')) return 'ingest';
  if (result.name.startsWith('score')) return 'score';
  if (result.name.startsWith('personal')) return 'personal';
  if (result.name.startsWith('summarise stage') || result.name.startsWith('summarise scaling')) return 'workers';
  if (result.name.startsWith('rate gate')) return 'gate';
  return 'summarise';
}

async function runBenchmarks(benches: ReadonlyArray<readonly [string, string, () => Promise<BenchResult[]>]>): Promise<BenchRun> {
  const run: BenchRun = { started: new Date().toISOString(), machine, results: [] };
  for (const [key, label, bench] of benches) {
    process.stderr.write(`bench: ${label}…\n`);
    run.results.push(...(await bench()).map((r) => ({ ...r, bench: key })));
  }
  run.loadAverage = os.loadavg().map((l) => Number(l.toFixed(1)));
  return run;
}

// `--scale N` runs the scale benchmark alone (it takes long) and keeps the last regular run's table;
// a regular run keeps the last scale run's. `--only web[,ingest…]` runs those benchmarks of the
// regular run and keeps the last run's other figures. docs/benchmarks.md always shows both.
const HELP = `
Usage: npm run bench [-- --only ${BENCHES.map(([k]) => k).join(',')} | --scale N | --render]

Runs the benchmarks and writes docs/benchmarks.md and bench/results.json (bench/scale-results.json for
--scale). The data is in the repository: the bundled snapshot (assets/snapshot) and the recorded arXiv
API pages of test/fixtures/recorded/arxiv-api (provenance in the SOURCES.md beside each).
`;
parseScriptArgs(HELP, { options: { only: { type: 'string' }, scale: { type: 'string' }, render: { type: 'boolean' } } });
// Benchmarks that start the command line (CLI start, workers) measure what ships: dist/, built from the current sources.
if (!process.argv.includes('--render') && spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' }).status !== 0) {
  throw new Error('npm run build failed (tsc output above)');
}
const scaleAt = process.argv.indexOf('--scale');
const onlyAt = process.argv.indexOf('--only');
if (scaleAt >= 0) {
  const total = Number(process.argv[scaleAt + 1]);
  if (!Number.isInteger(total) || total < 20_000) usageError('--scale takes a paper count of at least 20000, e.g. --scale 1000000');
  const run = await runBenchmarks([['scale', 'scale', () => benchScale(total)]]);
  fs.writeFileSync(SCALE_RESULTS_FILE, JSON.stringify(run, null, 2) + '\n');
} else if (onlyAt >= 0) {
  const only = (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean);
  const unknown = only.filter((key) => !BENCHES.some(([k]) => k === key));
  if (only.length === 0 || unknown.length > 0) usageError(`--only takes some of ${BENCHES.map(([k]) => k).join(', ')} (comma-separated)`);
  const fresh = await runBenchmarks(BENCHES.filter(([key]) => only.includes(key)));
  const previous = readRun(RESULTS_FILE);
  const run: BenchRun = previous
    ? {
        ...previous,
        // A rerun of the same benchmarks replaces the note of the one before: its figures are gone.
        reruns: [...(previous.reruns ?? []).filter((r) => !r.benches.every((b) => only.includes(b))), { benches: only, started: fresh.started, loadAverage: fresh.loadAverage! }],
        results: BENCHES.flatMap(([key]) => (only.includes(key) ? fresh.results : previous.results).filter((r) => benchOf(r) === key)),
      }
    : fresh;
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(run, null, 2) + '\n');
} else if (!process.argv.includes('--render')) {
  const run = await runBenchmarks(BENCHES);
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(run, null, 2) + '\n');
}
// `--render` runs nothing: it writes docs/benchmarks.md again from the kept figures (after a prose change).
const regular = readRun(RESULTS_FILE);
const scale = readRun(SCALE_RESULTS_FILE);

/** The latest \`npm run eval -- --write\` figures, quoted from docs/quality.md so the two never disagree. */
function qualitySection(): string {
  const figures = readQualityFigures(path.join(PROJECT_ROOT, 'docs/quality.md'));
  const intro = 'Measured by `npm run eval -- --data DIR` (offline, about 10 s; what each figure means and the targets met and missed: [quality.md](quality.md)).';
  return figures === null ? `${intro} No figures yet: run \`npm run eval -- --write\`.` : `${intro} The latest figures, quoted from there:\n\n${figures}`;
}

function table(results: readonly BenchResult[]): string {
  const ratio = (r: BenchResult) => (r.ratio ? `${r.ratio.value} × ${r.ratio.to}` : 'baseline');
  return [
    '| benchmark | value | unit | against the baseline | note |',
    '|---|---:|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.value.toLocaleString('en-US')} | ${r.unit} | ${ratio(r)} | ${r.note} |`),
  ].join('\n');
}

function runSection(run: BenchRun | null, command: string): string {
  if (run === null) return `Not run yet: \`${command}\`.`;
  const load = run.loadAverage
    ? `; load average at its end ${run.loadAverage.join(', ')} (1, 5, 15 min) on ${os.cpus().length} cores: above the core count, every figure is low by roughly that factor`
    : '';
  const reruns = (run.reruns ?? []).map((r) => `\n- ${r.benches.join(', ')} run again alone (\`--only\`): ${r.started}; load average at its end ${r.loadAverage.join(', ')}`).join('');
  return `- machine: ${run.machine}\n- run: ${run.started}${load}${reruns}\n\n${table(run.results)}`;
}

console.log(table((scaleAt >= 0 ? scale : regular)?.results ?? []));
fs.writeFileSync(
  path.join(PROJECT_ROOT, 'docs/benchmarks.md'),
  `# Benchmarks

Reproduce with \`npm run bench\` (writes this file and \`bench/results.json\`; \`npm run bench -- --only web\`
runs one part again and keeps the other figures) and
\`npm run bench -- --scale 1000000\` (the scale run: \`bench/scale-results.json\`). Each figure is
measured next to its baseline in the same run, on the same machine.

${runSection(regular, 'npm run bench')}

## Scale run

${runSection(scale, 'npm run bench -- --scale 1000000')}

## What is measured

- **ingest**: 20,000 arXiv API records in 20 pages of 1,000, generated from the four recorded real
  API pages in \`test/fixtures/recorded/arxiv-api\` (the 400 real entries repeated with fresh ids, every third
  as version 2). Both sides are warmed up first (one page parsed and stored into a scratch database),
  so neither is measured while V8 is still compiling it. The baseline parses the XML only; the ingest
  figure parses and stores the same pages into a new SQLite file, one transaction per page, exactly as
  \`papersift ingest\` does. The ratio is (ingest − parse) / parse. Search indexing is a stage of its own after ingest and is measured
  separately on the same store.
- **summarise** (\`npm run bench -- --only summarise\`): the offline extractive summariser over every
  paper of the bundled snapshot (2,027), one core; target ≥ 500 papers/s. CPU time of the process,
  fastest of 3 warm passes, for the engine and for its baseline alike: wall time on this shared
  machine also counts the waits for a core (at load average 20 on 2 cores it fell to a tenth), and
  CPU time still rises with contention (shared caches and cores), so compare the ratio to the
  baseline across runs at different loads.
- **summarise workers**: the summarise stage as jobs on PostgreSQL (a throw-away cluster, pg-boss),
  120 papers per run, run by 1, 2 and 4 \`papersift worker\` processes (2 jobs at once each) against
  the fake OpenAI-compatible provider of the tests on loopback, answering after a fixed 200 ms. Timed
  from enqueueing (workers already started) to the last summary stored. Efficiency is
  throughput(N) / (N × throughput(1)); the provider's latency is the only wait, so below 1.0 is CPU
  (this machine's cores are shared) or the database.
- **score and select**: one announcement day of 2,000 papers scored (Novelty % against the k nearest
  earlier papers, calibrated on the previous 30 days; offline AI Score) and selected, against a store of
  100,000 earlier papers. The papers are generated from the bundled snapshot's real records (their
  authors, categories and comments), each with its own abstract of sentences drawn from several real
  abstracts, over 51 mailing days; generating and storing them is not timed. The scoring stage reads
  every stored title and abstract and builds its text index, so the baseline is that read alone. CPU
  time is the one-core figure (target < 10 s); wall time also includes waiting for a core on a busy
  machine. Alone: \`npm run bench -- --only score\`.
- **personal ranking** (\`--only personal\`): one announcement day of 2,000 papers (the score and select
  generator) ranked for 1,000 readers, each with a library of 20-300 real papers of the bundled snapshot
  (mostly from one or two categories, added an hour apart), 10 saves, 10 "not interested", three followed
  authors, a followed category and a keyword rule to include and one to exclude. The day is prepared once
  (features, inverted index); each reader's ranking (similarity walks, the reader's logistic regression,
  sparse dot products, reasons) is CPU time on the main thread. The baseline is ranking the same day for one
  reader (the median of 15); the ratio says how close 1,000 readers come to 1,000 × one. Memory: the
  process's peak RSS, and the heap's growth over the 1,000 readers after a full collection, keeping each
  reader's top 50 ids as a daily pass would store them. Target: under 60 s of one core.
- **web load**: wrk (Debian's \`wrk\`, one thread; autocannon from npm where wrk is not installed, or
  with \`PAPERSIFT_BENCH_LOAD=autocannon\`; the table's note names the one used), 50 keep-alive connections over
  loopback, 10 s per target after a 3 s warm-up, every request with a browser's
  \`Accept-Encoding: gzip, deflate, br\`, against \`papersift serve\`'s web app in a child process
  (so the load generator and the server each have a core: autocannon, in JavaScript, spends more
  CPU per response than the digest's cache hit does, and its latencies were mostly its own) over a store of 100,000
  papers from the same generator as score and select (the latest 3 days summarised, scored and
  selected, every paper in the search index; built once and kept under the OS temp dir as
  \`papersift-bench/web-*.db\`, so reruns start at once). Targets: \`/\` (the digest), \`/papers/:id\`
  cycling through 2,000 papers of every age, \`/search?q=\` cycling through 200 one- and two-word queries
  from real titles. The baseline is the same kind of server (@hono/node-server, its \`serveStatic\`
  with \`precompressed\`) sending the digest exactly as the app sent it: the same brotli bytes (and
  gzip and identity files beside them), with the app's response headers (security headers,
  Cache-Control, Content-Type, ETag), measured in the same run; the note gives the page's size in
  each coding. \`serveStatic\` stats and streams the file for every request; under it, the floor is
  node:http alone writing the same bytes and headers from memory. The digest page is rendered once
  per store change (keyed by SQLite's generation, read by one prepared statement per request), compressed at once (brotli 5, gzip 6) and recompressed in
  the background (brotli 11, gzip 9); the bench renders it once, warms up, and waits for the brotli
  11 body before measuring. Hits are then served from memory with headers built once (security
  headers included). Paper pages and searches are rendered and compressed per request (brotli 5).
  Server CPU per request is the server process's user + system time over the run divided by the
  requests answered: on a machine shared with other work it moves less than the rates do. The same
  pair without Accept-Encoding (229 KB per response) is measured too, for reference. Target: digest
  ≥ 50 % of the static requests/s and p99 < 50 ms. On a machine shared with other work the figures
  move by tens of percent between runs; the load average at the end of the run is in the table.

- **CLI start** (\`npm run bench -- --only cli\`): \`node bin/papersift.mjs --help\`, the compiled command line
  in dist/ (the bench builds it first when src/ changed), started 21 times alternately with a bare \`node -e 0\`; the
  medians and their ratio. Commands import their modules when they run, so \`--help\` loads commander
  and the command definitions only. Target: at most 6× bare node.

- **shared rate gates** (\`npm run bench -- --only gate\`): 2,000 turns, one after another, of one rate gate
  kept in the store (acquire and release with nothing to wait out, a per-minute budget on, so every
  start of the run stays in its window), on a SQLite file and on a throw-away PostgreSQL cluster, next
  to the in-process start gate's turn in the same run. A turn is two short transactions (the take and
  the release), so the figure is mostly this machine's transaction latency under its load; against
  arXiv's 3 s spacing or an LLM call of seconds it is small. Takes of one service wait for its row in
  turn, so they cap that service's request starts, across all processes, at about one per take.
  Before a take counted the window's starts in SQL it read them all: 31 ms a turn on both backends at
  the end of 2,000 turns (2026-12-07, load average 8.6 rising to 18.4), growing with the budget.
- **web load on PostgreSQL** (\`--only web-postgres\`; alone: \`node --import tsx bench/web-load-postgres.ts
  [SECONDS [PAPERS]]\`): the web load's store copied table by table into a throw-away PostgreSQL 15
  cluster (then indexed for search by the store itself), served by the same app in a child process,
  \`/\`, \`/papers/:id\` and \`/search?q=\` loaded as above with the page cache on (keyed on the
  generation counter of migration 0010, read on its own connection once per request, concurrent
  requests sharing a read) and off (every request built: what every page cost on PostgreSQL before
  the counter). The server's CPU per request leaves out the database server's.
- **scale** (\`npm run bench -- --scale N\`, N = 1,000,000 for the figures above): N papers from the same
  generator, 2,000 per mailing day back from 2026-06-26, stored through \`storeAnnouncedPapers\` one
  day per transaction (as an ingest commits a page) into a new SQLite file after a warm-up; the
  store rate of the last tenth is set against the first tenth's (does the store slow down as it
  grows?). Then the search index is built (in its chunks of 2,000 papers), the latest day is
  summarised, scored against every earlier paper and selected, as a daily pass would; older papers
  are marked skipped (summarising a million papers offline is most of an hour of one core, and no
  page measured reads an old summary). One generated author is given 1,000 papers spread over the
  whole history. The size on disk is the database file after a checkpoint, set against the records
  as JSON. The web app then runs in its own process. The digest (page cache on, as visitors get it)
  and one paper page (page cache off) are loaded like the web load benchmark (50 connections, 3 s
  warm-up, 10 s per target, against the same static-file baseline). Six searches in turn (common
  words: a word like "transformer" matches about 15 % of the papers; 5 rounds) and the 1,000-paper
  profile (20 requests) are timed one request at a time with the page cache off, after one warm-up
  round, against the static file sent one request at a time. Then search is overloaded: 50 clients
  for 10 s, each sending its next search as soon as the last was answered (a refused one waits the
  1 s its Retry-After says), once with searches taking turns (the defaults: 2 at once, a wait of at
  most 2 s, predicted on arrival) and once with no limit (\`PAPERSIFT_SEARCH_CONCURRENCY=0\`), the
  baseline; the answers (200) and the refusals (503) are counted and timed apart. With no limit every
  search waits behind all the others: 50 clients over about 11 searches a second is a wait of 4 s on
  average (Little's law), more for some, and the searches of clients that gave up are worked through
  too. (Session 6's note blamed statements of concurrent searches interleaving; on SQLite a search
  runs synchronously from start to end, so that was wrong. It is the queue.) The server's resident
  memory is read from /proc before and after the load.

## Summary quality (\`npm run eval\`)

${qualitySection()}
`,
);
