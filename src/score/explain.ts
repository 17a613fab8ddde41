import type { ScoreDetails } from '../domain/scoring.ts';

/**
 * What decided a paper's AI Score, in words a reader can check: the signals that raised the
 * selection model's probability most, strongest first.
 */
export function decidingReasons(details: ScoreDetails, count = 2): string[] {
  return details.aiScore.signals
    .filter((s) => s.contribution > 0 && s.present)
    .sort((a, b) => b.contribution - a.contribution || a.key.localeCompare(b.key))
    .slice(0, count)
    .map((s) => s.detail);
}
