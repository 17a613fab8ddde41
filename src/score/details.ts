import { scoreDetailsSchema, type ScoreDetails } from '../domain/score-details.ts';

/**
 * The version of the scoring method, stored with every score. Bump it whenever a change can change a
 * number (weights, k, vocabulary, calibration); scores of another version are then recomputed.
 */
export const SCORING_METHOD = 'score-1';

export type { ScoreDetails };

/** Parses a stored details column; null when it is not this method's shape (an older method version). */
export function parseScoreDetails(json: string): ScoreDetails | null {
  try {
    const parsed = scoreDetailsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
