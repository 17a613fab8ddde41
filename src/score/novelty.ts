/**
 * Novelty % (0-100): how far a paper is from the prior literature papersift knows.
 *   distance = 1 − mean cosine similarity of its k nearest earlier papers (missing neighbours count as 0)
 *   Novelty % = share of the reference papers (a sample of those announced in the previous
 *               CALIBRATION_DAYS days; the paper's own day while the store is younger than that)
 *               whose distance is smaller, ties counting half.
 * So 90 % means "more distant from its prior papers than 90 % of recent papers were from theirs".
 */
import { stableHash } from './stable-hash.ts';
import { round } from './round.ts';
import type { Neighbour } from './text-index.ts';

import { CALIBRATION_DAYS, MAX_REFERENCE, MIN_REFERENCE, NOVELTY_NEIGHBOURS } from '../domain/scoring.ts';
export { CALIBRATION_DAYS, MAX_REFERENCE, MIN_REFERENCE, NOVELTY_NEIGHBOURS };


export function noveltyDistance(neighbours: readonly Neighbour[], k = NOVELTY_NEIGHBOURS): number {
  let sum = 0;
  for (const n of neighbours.slice(0, k)) sum += n.similarity;
  return round(1 - sum / k, 6);
}

/** The same ids, ordered by a stable hash and cut to `max`: a sample that is the same on every run. */
export function referenceSample(ids: readonly string[], max = MAX_REFERENCE): string[] {
  return [...new Set(ids)]
    .map((id) => ({ id, h: stableHash(id) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .slice(0, max)
    .map((x) => x.id);
}

/**
 * The percentile (0-100, one decimal) of `value` among `reference` (ascending). `own`, when given, is
 * the paper's own distance as it appears in the reference, and is left out of the comparison.
 */
export function percentileOf(value: number, reference: Float64Array, own?: number): number {
  let below = lowerBound(reference, value);
  let equal = lowerBound(reference, value, true) - below;
  let total = reference.length;
  if (own !== undefined) {
    total -= 1;
    if (own < value) below -= 1;
    else if (own === value) equal -= 1;
  }
  if (total <= 0) return round(100 * value, 1);
  return round((100 * (below + equal / 2)) / total, 1);
}

/** First index whose value is ≥ x (or > x when `after`). */
function lowerBound(sorted: Float64Array, x: number, after = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after ? sorted[mid]! <= x : sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
