/**
 * `npm run bench`: runs every benchmark, prints one table and writes docs/benchmarks.md and
 * bench/results.json. Each figure sits next to a baseline measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { readQualityFigures } from '../src/eval/run-eval.ts';
import { benchIngestThroughput } from './ingest-throughput.ts';
import { benchScoreAndSelect } from './score-select.ts';
import { benchOfflineSummariser } from './summariser-throughput.ts';
import type { BenchResult } from './types.ts';
import { benchWebLoad } from './web-load.ts';

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const started = new Date().toISOString();
const results: BenchResult[] = [];
for (const [label, bench] of [
  ['ingest', () => benchIngestThroughput()],
  ['summarise', () => benchOfflineSummariser()],
  ['score and select', () => benchScoreAndSelect()],
  ['web load', () => benchWebLoad()],
] as const) {
  process.stderr.write(`bench: ${label}…\n`);
  results.push(...(await bench()));
}

/** The latest \`npm run eval -- --write\` figures, quoted from docs/quality.md so the two never disagree. */
function qualitySection(): string {
  const figures = readQualityFigures(path.join(PROJECT_ROOT, 'docs/quality.md'));
  const intro = 'Measured by `npm run eval` (offline, about 10 s; what each figure means and the targets met and missed: [quality.md](quality.md)).';
  return figures === null ? `${intro} No figures yet: run \`npm run eval -- --write\`.` : `${intro} The latest figures, quoted from there:\n\n${figures}`;
}

const table = ['| benchmark | value | unit | note |', '|---|---:|---|---|', ...results.map((r) => `| ${r.name} | ${r.value.toLocaleString('en-US')} | ${r.unit} | ${r.note} |`)].join('\n');
console.log(table);
fs.writeFileSync(path.join(PROJECT_ROOT, 'bench/results.json'), JSON.stringify({ started, machine, results }, null, 2) + '\n');
fs.writeFileSync(
  path.join(PROJECT_ROOT, 'docs/benchmarks.md'),
  `# Benchmarks

Reproduce with \`npm run bench\` (writes this file and \`bench/results.json\`). Each figure is measured
next to its baseline in the same run, on the same machine:

- machine: ${machine}
- run: ${started}; load average at its end ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (1, 5, 15 min) on ${os.cpus().length} cores: above the core count, every figure is low by roughly that factor

${table}

## What is measured

- **ingest**: 20,000 arXiv API records in 20 pages of 1,000, generated from the four recorded real
  API pages in \`../shared/fixtures/arxiv-api\` (the 400 real entries repeated with fresh ids, every third
  as version 2). Both sides are warmed up first (one page parsed and stored into a scratch database),
  so neither is measured while V8 is still compiling it. The baseline parses the XML only; the ingest
  figure parses and stores the same pages into a new SQLite file, one transaction per page, exactly as
  \`papersift ingest\` does. The ratio is (ingest − parse) / parse. Search indexing is a stage of its own after ingest and is measured
  separately on the same store.
- **summarise**: the offline extractive summariser over every paper of the bundled snapshot, one core.
- **score and select**: one announcement day of 2,000 papers scored (Novelty % against the k nearest
  earlier papers, calibrated on the previous 30 days; offline AI Score) and selected, against a store of
  100,000 earlier papers. The papers are generated from the bundled snapshot's real records (their
  authors, categories and comments), each with its own abstract of sentences drawn from several real
  abstracts, over 51 mailing days; generating and storing them is not timed. The scoring stage reads
  every stored title and abstract and builds its text index, so the baseline is that read alone. CPU
  time is the one-core figure; wall time also includes waiting for a core on a busy machine.
- **web load**: autocannon (npm), 50 keep-alive connections over
  loopback, 10 s per target after a 3 s warm-up, against \`papersift serve\`'s web app in a child process
  (so the load generator in this process and the server each have a core) over a store of 100,000
  papers from the same generator as score and select (the latest 3 days summarised, scored and
  selected, every paper in the search index; built once and kept under the OS temp dir as
  \`papersift-bench/web-*.db\`, so reruns start at once). Targets: \`/\` (the digest), \`/papers/:id\`
  cycling through 2,000 papers of every age, \`/search?q=\` cycling through 200 one- and two-word queries
  from real titles. The baseline is the same kind of server (@hono/node-server, its \`serveStatic\`)
  sending the digest's HTML bytes as a static file, measured in the same run. The digest page is
  rendered once per store change (keyed by SQLite's generation) and then served from memory with its
  ETag; paper pages and searches are rendered per request. Target: digest ≥ 50 % of the static
  requests/s and p99 < 50 ms. On a machine shared with other work the figures move by tens of percent
  between runs; the load average at the end of the run is in the table.

## Summary quality (\`npm run eval\`)

${qualitySection()}
`,
);
