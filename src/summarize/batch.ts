/**
 * Batch mode: summarises any collection of abstracts given as JSON lines, with whichever engine is
 * configured, without touching the paper store (`papersift summarize --jsonl IN --out OUT`).
 *
 * In: one `{id, title, abstract, categories?, version?, comment?}` a line. Out: one line per input
 * line, in input order: `{id, tldr, tags, highlights, sections, rubric?, engine}` (the AI Score rubric
 * an LLM filled in within the same call, when usable) or, for a line that is not
 * valid JSON, does not match the schema or cannot be summarised, `{line, id?, error}`; the rest go on.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { toDisplayText } from '../arxiv/text.ts';
import type { ProgressFactory } from '../progress.ts';
import { noProgress } from '../progress.ts';
import { runSummaryEngine, type EngineResult, type SummaryEngine, type SummaryInput } from './engine.ts';

const batchInputSchema = z.object({
  id: z.string().trim().min(1),
  title: z.string(),
  abstract: z.string(),
  categories: z.array(z.string()).optional(),
  version: z.number().int().positive().optional(),
  comment: z.string().nullable().optional(),
});

export interface BatchTotals {
  lines: number;
  summarized: number;
  fallback: number;
  failed: number;
}

export interface BatchOptions {
  engine: SummaryEngine;
  input: string;
  output: string;
  /** Lines summarised at once (an LLM engine applies its own concurrency and rate limits inside). */
  concurrency?: number;
  progress?: ProgressFactory;
}

type LineResult = { kind: 'summary'; line: string; outcome: EngineResult['outcome'] } | { kind: 'error'; line: string };

function errorLine(line: number, message: string, id?: string): LineResult {
  return { kind: 'error', line: JSON.stringify({ line, ...(id === undefined ? {} : { id }), error: message }) };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
}

async function summarizeLine(engine: SummaryEngine, text: string, lineNumber: number): Promise<LineResult> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return errorLine(lineNumber, 'not valid JSON');
  }
  const parsed = batchInputSchema.safeParse(json);
  if (!parsed.success) {
    const id = typeof (json as { id?: unknown } | null)?.id === 'string' ? (json as { id: string }).id : undefined;
    return errorLine(lineNumber, describeIssues(parsed.error), id);
  }
  const record = parsed.data;
  const input: SummaryInput = {
    id: record.id,
    version: record.version ?? 1,
    title: toDisplayText(record.title),
    abstract: toDisplayText(record.abstract),
    categories: record.categories ?? [],
    comment: record.comment ?? null,
  };
  try {
    const { summary, outcome, descriptor, note, rubric } = await runSummaryEngine(engine, input);
    const engineInfo = { name: descriptor.engine, model: descriptor.model, promptVersion: descriptor.promptVersion, outcome, ...(note === undefined ? {} : { note }) };
    return { kind: 'summary', outcome, line: JSON.stringify({ id: record.id, ...summary, ...(rubric ? { rubric } : {}), engine: engineInfo }) };
  } catch (error) {
    return errorLine(lineNumber, error instanceof Error ? error.message : String(error), record.id);
  }
}

/** Lines of a file, counted without holding the file in memory (for the progress total). */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim() !== '') lines++;
  return lines;
}

export async function summarizeJsonLines(options: BatchOptions): Promise<BatchTotals> {
  const { engine, concurrency = 1 } = options;
  const progress = (options.progress ?? noProgress)('summarize batch');
  progress.start(await countLines(options.input));
  const out = createWriteStream(options.output);
  // Raced against every wait on the output, so a write error (disk full, bad path) fails the batch.
  const streamFailed = once(out, 'error').then(([error]) => {
    throw error;
  });
  streamFailed.catch(() => {});
  await Promise.race([once(out, 'open'), streamFailed]);
  const totals: BatchTotals = { lines: 0, summarized: 0, fallback: 0, failed: 0 };
  let pending: Array<{ text: string; number: number }> = [];
  const flush = async (): Promise<void> => {
    const results = await Promise.all(pending.map(({ text, number }) => summarizeLine(engine, text, number)));
    pending = [];
    for (const result of results) {
      if (result.kind === 'error') totals.failed++;
      else if (result.outcome === 'fallback') totals.fallback++;
      else totals.summarized++;
      if (!out.write(`${result.line}\n`)) await Promise.race([once(out, 'drain'), streamFailed]);
    }
    progress.advance(results.length);
  };
  let number = 0;
  try {
    for await (const text of createInterface({ input: createReadStream(options.input), crlfDelay: Infinity })) {
      number++;
      if (text.trim() === '') continue;
      totals.lines++;
      pending.push({ text, number });
      if (pending.length >= concurrency) await flush();
    }
    await flush();
  } finally {
    progress.stop();
    out.end();
  }
  await Promise.race([once(out, 'finish'), streamFailed]);
  return totals;
}
