import { stableHash } from '../score/stable-hash.ts';
import { selectionScore } from '../domain/scoring.ts';
import type { Tag } from '../domain/taxonomy.ts';

/**
 * Selection by the selection score (the AI Score: the calibrated probability that researchers pick
 * the paper), with diversity across tags. The shape (candidates in, ranked picks with a reason out) is
 * what refresh-digests and /about/scores rely on.
 */

export interface SelectionCandidate {
  id: string;
  primaryCategory: string;
  categories: string[];
  tags: Tag[];
  novelty: number;
  aiScore: number;
  /** The signals that decided the AI Score, strongest first, for the "why" line. */
  deciding: string[];
  /** Set for a new version of a paper: what changed, said first in the "why" line. */
  revision?: string;
}

export interface SelectedPaper {
  id: string;
  combined: number;
  why: string;
}

export interface SelectionOptions {
  size: number;
  followedCategories: string[];
  /** No tag may be carried by more than this share of the picks (diversity); the digest stays shorter rather than break it. */
  maxTagShare: number;
}

/** How many picks may carry one tag. */
export function perTagLimit(size: number, maxTagShare: number): number {
  return Math.max(1, Math.floor(size * maxTagShare));
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

function whyLine(candidate: SelectionCandidate, combined: number, rank: number, of: number): string {
  const scores = `AI Score ${Math.round(combined)} (${ordinal(rank)} of ${of} today), Novelty ${Math.round(candidate.novelty)} %`;
  const deciding = candidate.deciding.length > 0 ? `: ${candidate.deciding.join('; ')}` : '';
  return `${candidate.revision ? `${candidate.revision} ` : ''}${scores}${deciding}.`;
}

/**
 * Ranks one day's candidates by selection score (a stable hash breaks ties) and picks up to `size`,
 * skipping a paper when one of its tags is already carried by perTagLimit picks.
 */
export function selectDigest(candidates: SelectionCandidate[], options: SelectionOptions): SelectedPaper[] {
  const followed = new Set(options.followedCategories);
  const seen = new Set<string>();
  const ranked = candidates
    .filter((c) => c.categories.some((category) => followed.has(category)))
    .filter((c) => !seen.has(c.id) && seen.add(c.id))
    .map((c) => ({ candidate: c, combined: selectionScore(c), tie: stableHash(c.id) }))
    .sort((a, b) => b.combined - a.combined || a.tie - b.tie || (a.candidate.id < b.candidate.id ? -1 : 1));
  const limit = perTagLimit(options.size, options.maxTagShare);
  const perTag = new Map<Tag, number>();
  const picked: SelectedPaper[] = [];
  for (const [index, entry] of ranked.entries()) {
    if (picked.length === options.size) break;
    const tags = entry.candidate.tags;
    if (tags.some((tag) => (perTag.get(tag) ?? 0) >= limit)) continue;
    for (const tag of tags) perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
    picked.push({ id: entry.candidate.id, combined: entry.combined, why: whyLine(entry.candidate, entry.combined, index + 1, ranked.length) });
  }
  return picked;
}
