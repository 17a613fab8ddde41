import { parseApiFeed } from '../src/arxiv/api-feed.ts';
import { generateApiPages } from './ingest-throughput.ts';

const pages = generateApiPages(20_000, 1000);
const rounds = Number(process.argv[2] ?? 3);
// warm-up
for (const page of pages.slice(0, 2)) parseApiFeed(page);
for (let r = 0; r < rounds; r += 1) {
  let n = 0;
  const start = performance.now();
  for (const page of pages) n += parseApiFeed(page).records.length;
  const ms = performance.now() - start;
  console.log(`round ${r + 1}: ${n} records in ${ms.toFixed(0)} ms = ${Math.round(n / (ms / 1000))} records/s`);
}
