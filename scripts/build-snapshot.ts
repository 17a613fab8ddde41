/**
 * Builds the bundled snapshot from real arXiv daily listings (see HELP for where they come from).
 * Run: npm run snapshot:build -- LISTINGS_DIR
 *
 * Each listing file is one announcement day (the file name is the mailing date). The listings carry
 * no version numbers or submission times, so: every paper whose id belongs to the announcement month
 * (or the month before) is a new submission, version 1; `published`/`updated` are the announcement
 * date; papers with older ids (replacements of unknown version) are left out. A paper whose primary
 * category is one of the ML categories is announced as "new", otherwise as a "cross"-list.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { z } from 'zod';
import { DEFAULT_SNAPSHOT_PATH, PROJECT_ROOT } from '../src/config/config.ts';
import { snapshotLineSchema, type SnapshotLine } from '../src/arxiv/snapshot.ts';
import { existingPath, parseScriptArgs, requiredOption } from '../src/eval/script-args.ts';

const ML_CATEGORIES = new Set(['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']);

const listingLineSchema = z.object({
  id: z.string().regex(/^\d{4}\.\d{4,5}$/),
  categories: z.array(z.string()).min(1),
  authors: z.array(z.string()),
  title: z.string().min(1),
  comment: z.string().nullable(),
  summary: z.string(),
});

function monthOf(date: string): number {
  const [year, month] = date.split('-').map(Number);
  return (year! % 100) * 12 + month!;
}

function idMonth(id: string): number {
  return Number(id.slice(0, 2)) * 12 + Number(id.slice(2, 4));
}

const HELP = `
Usage: npm run snapshot:build -- LISTINGS_DIR

Rebuilds the bundled snapshot (assets/snapshot) from a folder of daily arXiv listings, one file per
announcement day named YYYY-MM-DD.jsonl, lines {id, categories, authors, title, comment, summary}.
The bundled one was built from six June 2026 days of https://github.com/dw-dengwei/daily-arXiv-ai-enhanced
("Modified Apache License"; arXiv metadata is CC0): see assets/snapshot/SOURCES.md.
`;
const { positionals } = parseScriptArgs(HELP, { options: {}, allowPositionals: true });
const listingsDir = existingPath('LISTINGS_DIR', requiredOption('LISTINGS_DIR', positionals[0], 'a folder of YYYY-MM-DD.jsonl listings'));
const files = fs.readdirSync(listingsDir).filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f)).sort();
const seen = new Set<string>();
const lines: SnapshotLine[] = [];
let skippedOld = 0;
for (const file of files) {
  const announcedOn = file.slice(0, 10);
  for (const text of fs.readFileSync(path.join(listingsDir, file), 'utf8').split('\n')) {
    if (!text.trim()) continue;
    const listing = listingLineSchema.parse(JSON.parse(text));
    if (seen.has(listing.id)) continue; // the same paper listed under two of the followed categories
    seen.add(listing.id);
    const age = monthOf(announcedOn) - idMonth(listing.id);
    if (age < 0 || age > 1) {
      skippedOld += 1;
      continue;
    }
    lines.push(
      snapshotLineSchema.parse({
        id: listing.id,
        version: 1,
        announcedOn,
        announceType: ML_CATEGORIES.has(listing.categories[0]!) ? 'new' : 'cross',
        title: listing.title,
        abstract: listing.summary,
        authors: listing.authors.map((name) => ({ name, affiliations: [] })),
        categories: listing.categories,
        comment: listing.comment,
        published: announcedOn,
        updated: announcedOn,
      }),
    );
  }
}
const out = process.env.SNAPSHOT_OUT ?? DEFAULT_SNAPSHOT_PATH;
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, zlib.gzipSync(lines.map((l) => JSON.stringify(l)).join('\n') + '\n', { level: 9 }));
const days = [...new Set(lines.map((l) => l.announcedOn))];
console.log(`wrote ${lines.length} papers over ${days.length} announcement days (${days.join(', ')}) to ${path.relative(PROJECT_ROOT, out)}; left out ${skippedOld} replacements of unknown version`);
