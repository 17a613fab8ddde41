import { z } from 'zod';
import { rubricSchema } from '../domain/rubric.ts';

/**
 * The version of the scoring method, stored with every score. Bump it whenever a change can change a
 * number (weights, k, vocabulary, calibration); scores of another version are then recomputed.
 */
export const SCORING_METHOD = 'score-1';

/** The `details` JSON of a `scores` row: what the numbers were computed from, for pages and audits. */
export const scoreDetailsSchema = z.object({
  method: z.string(),
  novelty: z.object({
    percentile: z.number(),
    distance: z.number(),
    k: z.number().int(),
    /** The closest earlier papers the paper was compared with, most similar first. */
    closest: z.array(z.object({ id: z.string(), title: z.string(), similarity: z.number() })),
    reference: z.object({ days: z.number().int(), papers: z.number().int(), sameDay: z.boolean() }),
  }),
  aiScore: z.object({
    source: z.enum(['offline-signals', 'llm-rubric']),
    /** The offline model's score, kept even when the rubric decides. */
    offline: z.number(),
    signals: z.array(
      z.object({
        key: z.enum(['novelty', 'numbers', 'code', 'breadth', 'specificity', 'trackRecord']),
        value: z.number().nullable(),
        weight: z.number(),
        detail: z.string(),
      }),
    ),
    rubric: rubricSchema.nullable(),
    /** Which summary the rubric came from ("engine/model/promptVersion@createdAt"); null offline. */
    summaryKey: z.string().nullable(),
  }),
});

export type ScoreDetails = z.infer<typeof scoreDetailsSchema>;

/** Parses a stored details column; null when it is not this method's shape (an older method version). */
export function parseScoreDetails(json: string): ScoreDetails | null {
  try {
    const parsed = scoreDetailsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
