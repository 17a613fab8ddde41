/**
 * Batch mode of personal ranking (`papersift recommend --library LIB --candidates CAND --out OUT`),
 * for evaluations outside papersift: no store, no configuration.
 *
 * LIB lines are `{id, title, abstract?, year?, added?}`, CAND lines `{id, title, abstract?}`. OUT gets
 * one line per candidate, `{id, score, why}`, best first. A line that is not JSON, does not match the
 * schema or repeats an id gets an error line on `onError` (file, line number, id when known) and the
 * rest go on. Ids may be strings or numbers and come back as they were given.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { PreparedDay } from './prepared-day.ts';
import { rankForReader } from './rank.ts';
import type { CandidatePaper, LibraryPaper } from './types.ts';

const id = z.union([z.string().trim().min(1), z.number().finite()]);
const text = z.string().refine((s) => s.trim() !== '', 'must not be blank');
const optionalText = z.string().nullish();

const libraryLine = z.object({
  id,
  title: text,
  abstract: optionalText,
  year: z.number().int().min(0).max(9999).nullish(),
  added: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date (expected ISO 8601, e.g. 2026-06-01)')
    .nullish(),
});

const candidateLine = z.object({ id, title: text, abstract: optionalText });

export interface LineError {
  file: string;
  line: number;
  id?: string | number;
  error: string;
}

export interface RecommendTotals {
  library: number;
  candidates: number;
  rejected: number;
}

export interface RecommendOptions {
  library: string;
  candidates: string;
  output: string;
  onError: (error: LineError) => void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
}

/** The valid lines of a JSON-lines file; every other non-blank line is reported and skipped. */
async function readLines<S extends z.ZodType<{ id: string | number }>>(file: string, schema: S, onError: (error: LineError) => void): Promise<Array<z.infer<S>>> {
  const out: Array<z.infer<S>> = [];
  const seen = new Set<string>();
  let number = 0;
  const input = createReadStream(file);
  // A missing or unreadable file is fatal: reject with its own error rather than an unhandled one.
  const failed = once(input, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  await Promise.race([once(input, 'open'), failed]);
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    number += 1;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      onError({ file, line: number, error: 'not valid JSON' });
      continue;
    }
    const given = (json as { id?: unknown } | null)?.id;
    const knownId = typeof given === 'string' || typeof given === 'number' ? { id: given } : {};
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      onError({ file, line: number, ...knownId, error: describeIssues(parsed.error) });
      continue;
    }
    const key = String(parsed.data.id);
    if (seen.has(key)) {
      onError({ file, line: number, ...knownId, error: `id ${key} already given on an earlier line; this line is skipped` });
      continue;
    }
    seen.add(key);
    out.push(parsed.data);
  }
  return out;
}

export async function recommendJsonLines(options: RecommendOptions): Promise<RecommendTotals> {
  let rejected = 0;
  const onError = (error: LineError): void => {
    rejected += 1;
    options.onError(error);
  };
  const libraryRows = await readLines(options.library, libraryLine, onError);
  const candidateRows = await readLines(options.candidates, candidateLine, onError);
  const library: LibraryPaper[] = libraryRows.map((row) => ({ id: String(row.id), title: row.title, abstract: row.abstract ?? null, year: row.year ?? null, added: row.added ?? null }));
  const candidates: CandidatePaper[] = candidateRows.map((row) => ({ id: String(row.id), title: row.title, abstract: row.abstract ?? null }));
  const givenId = new Map(candidateRows.map((row) => [String(row.id), row.id]));
  const picks = rankForReader(new PreparedDay(candidates), { library });

  const out = createWriteStream(options.output);
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  await Promise.race([once(out, 'open'), failed]);
  for (const pick of picks) {
    if (!out.write(`${JSON.stringify({ id: givenId.get(pick.id), score: pick.score, why: pick.why })}\n`)) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { library: library.length, candidates: candidates.length, rejected };
}
