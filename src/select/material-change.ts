/**
 * Whether a new version changed a paper materially: a different title, or an abstract that shares
 * less than MATERIAL_CHANGE_OVERLAP of its words with the previous version's. Typo fixes and a
 * sentence added or reworded stay below the bar, so a paper already shown is not shown again for them.
 */
import { MATERIAL_CHANGE_OVERLAP } from '../domain/scoring.ts';
export { MATERIAL_CHANGE_OVERLAP };

export interface VersionText {
  title: string;
  abstract: string;
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
const normalisedTitle = (text: string): string => [...(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].join(' ');

/** Jaccard overlap of the two texts' word sets (1 when both are empty). */
export function wordOverlap(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 && y.size === 0) return 1;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared += 1;
  return shared / (x.size + y.size - shared);
}

export function changedMaterially(previous: VersionText, next: VersionText): boolean {
  return normalisedTitle(previous.title) !== normalisedTitle(next.title) || wordOverlap(previous.abstract, next.abstract) < MATERIAL_CHANGE_OVERLAP;
}
