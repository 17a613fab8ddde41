import type { Db } from '../db.ts';

/**
 * The rows a paper card (src/digest/cards.ts) is built from, for many papers at once: a few bulk
 * queries whatever the number of papers, each list in the order a card shows it.
 */
export class CardsRepository {
  constructor(protected readonly db: Db) {}

  /** The papers with their authors, categories, code links, summaries (newest first) and versions; missing ids are absent. */
  async rowsFor(ids: string[]) {
    const { db } = this;
    const [papers, authors, categories, codeLinks, summaries, versions] = await Promise.all([
      db.selectFrom('papers').selectAll().where('id', 'in', ids).execute(),
      db.selectFrom('paper_authors').select(['paper_id', 'name', 'author_id']).where('paper_id', 'in', ids).orderBy('position').execute(),
      db.selectFrom('paper_categories').select(['paper_id', 'category']).where('paper_id', 'in', ids).orderBy('position').execute(),
      db.selectFrom('code_links').select(['paper_id', 'url', 'found_in']).where('paper_id', 'in', ids).execute(),
      db.selectFrom('summaries').selectAll().where('paper_id', 'in', ids).orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
      db.selectFrom('paper_versions').select(['paper_id', 'version', 'submitted_at']).where('paper_id', 'in', ids).orderBy('version').execute(),
    ]);
    return { papers, authors, categories, codeLinks, summaries, versions };
  }

  /** Scores by `methodVersion` of the papers `ids`, every version scored (the caller keeps the shown one). */
  scoresOf(ids: string[], methodVersion: string) {
    return this.db
      .selectFrom('scores')
      .select(['paper_id', 'version', 'novelty', 'ai_score', 'details'])
      .where('method_version', '=', methodVersion)
      .where('paper_id', 'in', ids)
      .execute();
  }

  /**
   * Scores by `methodVersion`, of each paper's latest version, whose details name `paperId` (among
   * the closest earlier papers): the later papers most like it. The details are JSON text on both
   * backends, so the match is a substring the caller confirms by parsing; a full scan of the method's
   * scores, bounded by `limit` rows.
   */
  scoresNaming(paperId: string, methodVersion: string, limit: number) {
    // JSON.stringify writes `"id":"<id>"`; arXiv ids hold no LIKE wildcard (% or _) and no quote.
    const needle = `%${JSON.stringify({ id: paperId }).slice(1, -1)}%`;
    return this.db
      .selectFrom('scores')
      .innerJoin('papers', (join) => join.onRef('papers.id', '=', 'scores.paper_id').onRef('papers.latest_version', '=', 'scores.version'))
      .select(['scores.paper_id', 'scores.details'])
      .where('scores.method_version', '=', methodVersion)
      .where('scores.paper_id', '<>', paperId)
      .where('scores.details', 'like', needle)
      .orderBy('papers.published_at', 'asc')
      .limit(limit)
      .execute();
  }
}
