import { z } from 'zod';
import { TAXONOMY } from './taxonomy.ts';

/** What every summary engine reads: the paper's own text, already normalised for display. */
export interface SummaryInput {
  id: string;
  version: number;
  title: string;
  abstract: string;
  categories: string[];
  comment: string | null;
}

const line = z.string().trim().min(1);

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

/** The one interface every summariser implements; "no LLM configured" is just another engine. */
export interface SummaryEngine {
  readonly descriptor: EngineDescriptor;
  summarize(input: SummaryInput): Promise<PaperSummary>;
}
