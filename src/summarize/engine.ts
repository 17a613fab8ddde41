import { z } from 'zod';
import { withoutForbiddenCharacters } from '../domain/forbidden-characters.ts';
import type { Rubric } from '../domain/rubric.ts';
import { TAXONOMY } from '../domain/taxonomy.ts';

/** What every summary engine reads: the paper's own text, already normalised for display. */
export interface SummaryInput {
  id: string;
  version: number;
  title: string;
  abstract: string;
  categories: string[];
  comment: string | null;
}

// A model's answer is external text like any other: the characters XML forbids are dropped first.
const line = z.string().transform(withoutForbiddenCharacters).pipe(z.string().trim().min(1));

/** One schema for what any engine (offline or LLM) must return. */
export const paperSummarySchema = z.object({
  tldr: line,
  tags: z.array(z.enum(TAXONOMY)).min(1).max(4),
  highlights: z.tuple([line, line, line, line]),
  sections: z.object({
    summary: line,
    methodology: line,
    results: line,
    implications: line,
  }),
});

export type PaperSummary = z.infer<typeof paperSummarySchema>;

/** Identifies who wrote a summary, stored beside it and shown on every card. */
export interface EngineDescriptor {
  /** Engine family, e.g. "offline" or "openai". */
  engine: string;
  /** Model or algorithm name and version, e.g. "extractive-v1" or "gpt-4o-mini". */
  model: string;
  /** Bumped whenever the prompt or algorithm changes output; part of the cache key. */
  promptVersion: string;
}

/** Raised when a paper has too little text of its own to summarise without inventing content. */
export class InsufficientSourceTextError extends Error {
  constructor(paperId: string, reason: string) {
    super(`cannot summarise ${paperId}: ${reason}`);
    this.name = 'InsufficientSourceTextError';
  }
}

/**
 * How a stored summary came about: 'success' when the engine produced it itself, 'fallback' when the
 * engine could not (e.g. an LLM answer failed its checks twice) and a simpler engine stood in.
 */
export type SummaryOutcome = 'success' | 'fallback';

/** A summary with the truth about who wrote it: a fallback carries the stand-in engine's descriptor. */
export interface EngineResult {
  summary: PaperSummary;
  outcome: SummaryOutcome;
  descriptor: EngineDescriptor;
  /** Why the engine fell back (stored as the paper's summary_error); absent on success. */
  note?: string;
  /** The AI Score rubric an LLM filled in within the same call; absent offline or when unusable. */
  rubric?: Rubric;
}

/** One stored paper version, as summarize-pending asks an engine about it. */
export interface PaperVersionRef {
  id: string;
  version: number;
}

/** The one interface every summariser implements; "no LLM configured" is just another engine. */
export interface SummaryEngine {
  readonly descriptor: EngineDescriptor;
  summarize(input: SummaryInput): Promise<PaperSummary>;
  /**
   * Optional: like summarize, but says honestly whether the engine's own output or a fallback was
   * produced. Engines without it always succeed as themselves (see runSummaryEngine).
   */
  summarizeWithOutcome?(input: SummaryInput): Promise<EngineResult>;
  /**
   * Optional: of these paper versions, currently stored as fallbacks, the ones this engine already
   * tried at this exact version and descriptor and got an unusable answer for. summarize-pending does
   * not pay for them again; a new version or descriptor (prompt version, model) tries again.
   */
  settledFallbacks?(papers: readonly PaperVersionRef[]): Promise<Set<string>>;
}

/** Runs any engine and reports the outcome, so callers never special-case engines. */
export async function runSummaryEngine(engine: SummaryEngine, input: SummaryInput): Promise<EngineResult> {
  if (engine.summarizeWithOutcome) return engine.summarizeWithOutcome(input);
  return { summary: await engine.summarize(input), outcome: 'success', descriptor: engine.descriptor };
}

/** The key settledFallbacks answers with: "<id>v<version>". */
export function paperVersionKey(paper: PaperVersionRef): string {
  return `${paper.id}v${paper.version}`;
}
