import { parseScoreDetails, SCORING_METHOD, type ScoreDetails } from '../domain/scoring.ts';
import type { Store } from '../store/store.ts';

export interface PaperScores {
  /** Novelty %, 0-100. */
  novelty: number;
  /** AI Score, 0-100. */
  aiScore: number;
}

export interface StoredScore {
  scores: PaperScores;
  details: ScoreDetails | null;
}

/** The current method's scores of each paper's shown version; papers not scored yet are absent. */
export async function loadScores(store: Store, papers: ReadonlyArray<{ id: string; version: number }>): Promise<Map<string, StoredScore>> {
  if (papers.length === 0) return new Map();
  const version = new Map(papers.map((p) => [p.id, p.version]));
  const rows = await store.cards.scoresOf([...version.keys()], SCORING_METHOD);
  const out = new Map<string, StoredScore>();
  for (const row of rows) {
    if (row.version !== version.get(row.paper_id) || row.novelty === null || row.ai_score === null) continue;
    out.set(row.paper_id, { scores: { novelty: row.novelty, aiScore: row.ai_score }, details: parseScoreDetails(row.details) });
  }
  return out;
}
