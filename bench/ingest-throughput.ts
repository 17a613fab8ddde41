import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseApiFeed } from '../src/arxiv/api-feed.ts';
import { ArxivCalendar } from '../src/arxiv/calendar.ts';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { inferAnnouncements } from '../src/arxiv/infer-announcements.ts';
import { openStore } from '../src/store/store.ts';
import { storeAnnouncedPapers } from '../src/store/papers.ts';
import { ratioTo, type BenchResult } from './types.ts';

// The recorded real API pages the tests read too (test/fixtures/recorded/SOURCES.md).
const RECORDED_PAGES = ['arxiv_raw_0.xml', 'arxiv_raw_100.xml', 'arxiv_raw_200.xml', 'arxiv_raw_300.xml'].map((f) =>
  path.join(PROJECT_ROOT, 'test/fixtures/recorded/arxiv-api', f),
);

/**
 * API pages shaped exactly like the recorded real ones: the 400 real entries, repeated with fresh ids
 * (and every third one as a later version) until there are `total` records, `pageSize` to a page.
 */
export function generateApiPages(total: number, pageSize: number): string[] {
  const entries = RECORDED_PAGES.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]));
  const head = fs.readFileSync(RECORDED_PAGES[0]!, 'utf8').split('<entry>')[0]!;
  const pages: string[] = [];
  for (let start = 0; start < total; start += pageSize) {
    const body: string[] = [];
    for (let i = start; i < Math.min(total, start + pageSize); i += 1) {
      const id = `25${String(10 + Math.floor(i / 90_000)).padStart(2, '0')}.${String(i % 90_000 + 10_000).padStart(5, '0')}`;
      const version = i % 3 === 0 ? 2 : 1;
      body.push(entries[i % entries.length]!.replace(/(arxiv\.org\/(?:abs|pdf)\/)[^<"]+?v\d+/g, `$1${id}v${version}`));
    }
    pages.push(`${head}${body.join('\n')}\n</feed>\n`);
  }
  return pages;
}

export async function benchIngestThroughput(total = 20_000, pageSize = 1000): Promise<BenchResult[]> {
  const pages = generateApiPages(total, pageSize);
  const calendar = new ArxivCalendar();
  const followed = new Set(['cs.AI', 'cs.LG', 'cs.CL', 'cs.CV', 'cs.NE', 'cs.SE', 'cs.CR', 'cs.DC']);

  // Warm-up, so neither side is measured while V8 is still compiling it: one page parsed and stored
  // into a scratch database that is thrown away.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-bench-'));
  const scratch = await openStore({ dialect: 'sqlite', file: path.join(dir, 'warm-up.db') });
  for (const page of generateApiPages(pageSize, pageSize)) {
    await storeAnnouncedPapers(scratch.db, parseApiFeed(page).records.flatMap((r) => inferAnnouncements(r, calendar, followed)), 'bench');
  }
  await scratch.close();

  // Baseline: parsing the same XML, nothing stored.
  let parsed = 0;
  const parseStart = performance.now();
  for (const page of pages) parsed += parseApiFeed(page).records.length;
  const parseMs = performance.now() - parseStart;

  const store = await openStore({ dialect: 'sqlite', file: path.join(dir, 'bench.db') });
  let stored = 0;
  const ingestStart = performance.now();
  for (const page of pages) {
    const records = parseApiFeed(page).records;
    const counts = await storeAnnouncedPapers(store.db, records.flatMap((r) => inferAnnouncements(r, calendar, followed)), 'bench');
    stored += counts.inserted;
  }
  const ingestMs = performance.now() - ingestStart;
  const indexStart = performance.now();
  const indexed = await store.searchIndex.refresh();
  const indexMs = performance.now() - indexStart;
  await store.close();
  const dbBytes = fs.statSync(path.join(dir, 'bench.db')).size + (fs.existsSync(path.join(dir, 'bench.db-wal')) ? fs.statSync(path.join(dir, 'bench.db-wal')).size : 0);
  fs.rmSync(dir, { recursive: true, force: true });
  if (parsed !== total || stored !== total) throw new Error(`bench stored ${stored} of ${parsed} parsed records, expected ${total}`);

  const storeMs = ingestMs - parseMs;
  return [
    { name: 'ingest: parse only (baseline)', value: Math.round(total / (parseMs / 1000)), unit: 'records/s', note: `${total} records in ${pages.length} API pages, ${parseMs.toFixed(0)} ms` },
    {
      name: 'ingest: parse + store',
      value: Math.round(total / (ingestMs / 1000)),
      unit: 'records/s',
      note: `${ingestMs.toFixed(0)} ms; target ≥ 10,000 records/s; database ${(dbBytes / 1e6).toFixed(1)} MB`,
      ratio: ratioTo(parseMs, ingestMs, 'parse-only rate'),
    },
    { name: 'ingest: store time / parse time', value: Number((storeMs / parseMs).toFixed(2)), unit: 'ratio', note: 'target ≤ 2', ratio: ratioTo(storeMs, parseMs, 'parse time') },
    {
      name: 'search indexing (separate stage)',
      value: Math.round(indexed / (indexMs / 1000)),
      unit: 'records/s',
      note: `FTS5 over ${indexed} titles + abstracts, ${indexMs.toFixed(0)} ms`,
      ratio: ratioTo(parseMs / total, indexMs / indexed, 'parse-only rate'),
    },
  ];
}
