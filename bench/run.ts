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
import { benchWorkerScaling } from './worker-scaling.ts';
import type { BenchResult } from './types.ts';

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const started = new Date().toISOString();
const results: BenchResult[] = [];
for (const [label, bench] of [
  ['ingest', () => benchIngestThroughput()],
  ['summarise', () => benchOfflineSummariser()],
  ['score and select', () => benchScoreAndSelect()],
  ['summarise workers on PostgreSQL', () => benchWorkerScaling()],
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
- run: ${started}

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
  time is the one-core figure; wall time also includes waiting for a core on a busy machine.

## Summary quality (\`npm run eval\`)

${qualitySection()}
`,
);
