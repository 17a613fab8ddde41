import { RUBRIC_CRITERIA } from '../domain/rubric.ts';
import { decidingSignals } from './ai-score.ts';
import type { ScoreDetails } from './details.ts';

const MAX_JUSTIFICATION = 90;

function shorten(text: string): string {
  return text.length <= MAX_JUSTIFICATION ? text : `${text.slice(0, MAX_JUSTIFICATION - 1).trimEnd()}…`;
}

/**
 * What decided a paper's AI Score, in words a reader can check: the strongest offline signals, or the
 * best-scored rubric criteria with their justification.
 */
export function decidingReasons(details: ScoreDetails): string[] {
  const { rubric } = details.aiScore;
  if (details.aiScore.source === 'llm-rubric' && rubric) {
    return [...RUBRIC_CRITERIA]
      .sort((a, b) => rubric[b].score - rubric[a].score || RUBRIC_CRITERIA.indexOf(a) - RUBRIC_CRITERIA.indexOf(b))
      .slice(0, 2)
      .map((c) => `${c} ${rubric[c].score}/5 (${shorten(rubric[c].why.replace(/\.$/, ''))})`);
  }
  return decidingSignals(details.aiScore.signals).map((s) => s.detail);
}
