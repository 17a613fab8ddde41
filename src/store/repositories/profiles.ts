import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { ExternalSource } from '../schema.ts';

/** Another paper of the same researchers: which of its authors it shares with the paper asked about. */
export interface SameAuthorPaperRow {
  id: string;
  title: string;
  /** The mailing day it was first announced on, else its submission day. */
  day: string;
  sharedAuthors: Array<{ id: number; name: string }>;
}

/** What a researcher profile (src/digest/author-profile.ts) and a paper's "same authors" list read. */
export class ProfilesRepository {
  constructor(protected readonly db: Db) {}

  author(id: number) {
    return this.db.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A source's record of an author when it found one (a not-found record counts as none). */
  async externalAuthor(source: ExternalSource, externalId: string) {
    const row = await this.db.selectFrom('external_authors').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();
    return row && row.status === 'found' ? row : null;
  }

  /** The author's papers, once each (even when listed twice on one), with both sources' citation counts and when they were looked up. */
  papersOf(authorId: number) {
    return this.db
      .selectFrom('paper_authors as pa')
      .innerJoin('papers as p', 'p.id', 'pa.paper_id')
      .leftJoin('paper_lookups as s2', (join) => join.onRef('s2.paper_id', '=', 'p.id').on('s2.source', '=', 'semantic_scholar'))
      .leftJoin('paper_lookups as oa', (join) => join.onRef('oa.paper_id', '=', 'p.id').on('oa.source', '=', 'openalex'))
      .select(['p.id', 'p.latest_version', 'p.primary_category', 'p.first_announced_on', 'p.published_at', 's2.citation_count as s2_citations', 's2.fetched_at as s2_at', 'oa.citation_count as oa_citations', 'oa.fetched_at as oa_at'])
      .where('pa.author_id', '=', authorId)
      // One row per paper: every column depends on the paper alone.
      .distinct()
      .execute();
  }

  /** Scores of the papers' shown versions by every method, newest computation first. */
  shownVersionScores(ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('scores as s')
      .innerJoin('papers as p', (join) => join.onRef('p.id', '=', 's.paper_id').onRef('p.latest_version', '=', 's.version'))
      .select(['s.paper_id', 's.method_version', 's.novelty', 's.ai_score', 's.computed_at'])
      .where('s.paper_id', 'in', ids)
      .orderBy('s.computed_at', 'desc')
      .orderBy('s.method_version', 'desc')
      .execute();
  }

  /** Affiliations per author position as arXiv lists them, and OpenAlex's institutions per matched author, both as stored JSON. */
  async affiliationRows(ids: string[]) {
    const [arxiv, openAlex] = await Promise.all([
      this.db.selectFrom('paper_authors').select(['paper_id', 'affiliations']).where('paper_id', 'in', ids).orderBy('position').execute(),
      this.db.selectFrom('paper_author_matches').select(['paper_id', 'institutions']).where('paper_id', 'in', ids).where('source', '=', 'openalex').orderBy('position').execute(),
    ]);
    return { arxiv, openAlex };
  }

  /**
   * The latest `limit` other papers that share at least one author profile with paper `id`, newest
   * first (the index on author_id makes this a few lookups per author, whatever the store's size),
   * each with the authors it shares in list order.
   */
  async sameAuthorPapers(id: string, limit: number): Promise<SameAuthorPaperRow[]> {
    const rows = await sql<{ id: string; title: string; day: string; author_id: number; name: string }>`
      WITH other_papers AS (
        SELECT p.id, p.title, coalesce(p.first_announced_on, substr(p.published_at, 1, 10)) AS day
        FROM paper_authors mine
        JOIN paper_authors other ON other.author_id = mine.author_id AND other.paper_id <> mine.paper_id
        JOIN papers p ON p.id = other.paper_id
        WHERE mine.paper_id = ${id}
        GROUP BY p.id, p.title, p.first_announced_on, p.published_at
        ORDER BY day DESC, p.id DESC
        LIMIT ${limit}
      )
      SELECT o.id, o.title, o.day, other.author_id, other.name
      FROM other_papers o
      JOIN paper_authors other ON other.paper_id = o.id
      WHERE EXISTS (SELECT 1 FROM paper_authors mine WHERE mine.paper_id = ${id} AND mine.author_id = other.author_id)
      ORDER BY o.day DESC, o.id DESC, other.position`.execute(this.db);
    const papers = new Map<string, SameAuthorPaperRow>();
    for (const row of rows.rows) {
      let paper = papers.get(row.id);
      if (!paper) papers.set(row.id, (paper = { id: row.id, title: row.title, day: row.day, sharedAuthors: [] }));
      paper.sharedAuthors.push({ id: row.author_id, name: row.name });
    }
    return [...papers.values()];
  }
}
