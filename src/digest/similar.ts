import { SCORING_METHOD, parseScoreDetails } from '../domain/scoring.ts';
import type { Store } from '../store/store.ts';
import { loadPaperDetails } from './cards.ts';

export interface SimilarPaper {
  id: string;
  title: string;
  /** Cosine similarity of the TF-IDF texts the Novelty % is computed from, 0-1. */
  similarity: number;
}

export interface SimilarPapers {
  id: string;
  title: string;
  /** The closest earlier papers, most similar first (those its Novelty % was computed from). */
  earlier: SimilarPaper[];
  /** Later papers that found this one among their closest earlier papers, most similar first. */
  later: SimilarPaper[];
}

/** How many later papers' scores are read at most (each names up to NOVELTY_NEIGHBOURS earlier papers). */
const LATER_SCANNED = 500;

/**
 * The papers most like one paper, earlier and later, from the similarities the scoring stage stored
 * (no index is built per request): its own closest earlier papers, and the later papers that listed
 * it among theirs. Null when the paper is not stored.
 */
export async function similarPapers(store: Store, id: string, limit: number): Promise<SimilarPapers | null> {
  const [paper] = await loadPaperDetails(store, [id]);
  if (!paper) return null;
  const earlier = (paper.scoreDetails?.novelty.closest ?? []).slice(0, limit).map(({ id, title, similarity }) => ({ id, title, similarity }));
  const later = new Map<string, number>();
  for (const row of await store.cards.scoresNaming(id, SCORING_METHOD, LATER_SCANNED)) {
    const match = parseScoreDetails(row.details)?.novelty.closest.find((neighbour) => neighbour.id === id);
    if (match) later.set(row.paper_id, match.similarity);
  }
  const best = [...later].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
  const titles = new Map((await loadPaperDetails(store, best.map(([laterId]) => laterId))).map((p) => [p.id, p.title]));
  return {
    id: paper.id,
    title: paper.title,
    earlier,
    later: best.map(([laterId, similarity]) => ({ id: laterId, title: titles.get(laterId) ?? '', similarity })),
  };
}
