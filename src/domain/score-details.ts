import { z } from 'zod';
import { rubricSchema } from './rubric.ts';

/**
 * The `details` JSON of a `scores` row: what the numbers were computed from. Shared vocabulary: the
 * score stage writes it, the read models and the API (whose document describes it) read it.
 */
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
