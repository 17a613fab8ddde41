/**
 * Reads a selection data folder (../shared/fixtures/selection layout): `listings/YYYY-MM-DD.jsonl`
 * (arXiv listings, one paper a line) and `labels.tsv` (day, arxiv_id, in_hf, hf_upvotes,
 * hf_comments). Papers of labelled days become labelled papers; every listing day, labelled or not,
 * counts towards the authors' track record of later days (names, the only identity a listing has).
 * The held-out announcement days are refused, so they cannot be trained or tuned on by mistake.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LabelledPaper } from '../score/selection-training.ts';
import { readJsonLines } from './datasets.ts';

/** Announcement days kept for the final check of issue 17; nothing here may read their labels. */
export const HELD_OUT_DAYS = { from: '2026-06-16', to: '2026-07-01' } as const;

export interface SelectionPaper extends LabelledPaper {
  upvotes: number;
}

export class SelectionDataError extends Error {}

const listingLineSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  summary: z.string(),
  categories: z.array(z.string()).min(1),
  authors: z.array(z.string()),
  comment: z.string().nullable().optional(),
});

const labelRowSchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  arxiv_id: z.string().min(1),
  in_hf: z.enum(['0', '1']),
  hf_upvotes: z.string().regex(/^\d+$/),
});

function isHeldOut(day: string): boolean {
  return day >= HELD_OUT_DAYS.from && day <= HELD_OUT_DAYS.to;
}

function readLabels(file: string): Map<string, { label: number; upvotes: number }> {
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = (header ?? '').split('\t');
  const labels = new Map<string, { label: number; upvotes: number }>();
  lines.forEach((line, i) => {
    const cells = line.split('\t');
    const parsed = labelRowSchema.safeParse(Object.fromEntries(columns.map((c, j) => [c, cells[j]])));
    if (!parsed.success) throw new SelectionDataError(`${file}:${i + 2}: ${parsed.error.issues[0]?.message ?? 'bad row'}`);
    if (isHeldOut(parsed.data.day)) throw new SelectionDataError(`${file}:${i + 2}: day ${parsed.data.day} is held out (${HELD_OUT_DAYS.from} to ${HELD_OUT_DAYS.to}); remove it from the training data`);
    labels.set(`${parsed.data.day}/${parsed.data.arxiv_id}`, { label: Number(parsed.data.in_hf), upvotes: Number(parsed.data.hf_upvotes) });
  });
  return labels;
}

/** Labelled papers of the folder, in day and listing order. Throws SelectionDataError with a one-line message. */
export function readSelectionData(dir: string): SelectionPaper[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SelectionDataError(`selection data folder not found: ${dir}`);
  const listingDir = path.join(dir, 'listings');
  const labelFile = path.join(dir, 'labels.tsv');
  if (!existsSync(listingDir) || !existsSync(labelFile)) throw new SelectionDataError(`${dir} needs listings/ and labels.tsv`);
  const labels = readLabels(labelFile);
  const days = readdirSync(listingDir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name))
    .map((name) => name.slice(0, 10))
    .sort();
  const papersOfAuthor = new Map<string, number>();
  const out: SelectionPaper[] = [];
  for (const day of days) {
    if (isHeldOut(day)) throw new SelectionDataError(`${listingDir}/${day}.jsonl is a held-out day; remove it from the training data`);
    const seen = new Set<string>();
    const listing = readJsonLines(path.join(listingDir, `${day}.jsonl`), listingLineSchema).filter((p) => !seen.has(p.id) && seen.add(p.id));
    for (const paper of listing) {
      const labelled = labels.get(`${day}/${paper.id}`);
      if (!labelled) continue;
      const prior = paper.authors.reduce((most, name) => Math.max(most, papersOfAuthor.get(name) ?? 0), 0);
      out.push({
        day,
        id: paper.id,
        label: labelled.label,
        upvotes: labelled.upvotes,
        input: {
          title: paper.title,
          abstract: paper.summary,
          comment: paper.comment ?? null,
          authorCount: paper.authors.length,
          categories: paper.categories,
          hasCode: false,
          authorPriorPapers: prior,
        },
      });
    }
    // Only after the whole day: a paper's own day is not its history.
    for (const paper of listing) for (const name of new Set(paper.authors)) papersOfAuthor.set(name, (papersOfAuthor.get(name) ?? 0) + 1);
  }
  if (out.length === 0) throw new SelectionDataError(`${dir}: no labelled papers (labels.tsv rows must match listing ids)`);
  return out;
}
