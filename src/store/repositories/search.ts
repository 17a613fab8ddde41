import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db.ts';

/**
 * Full-text search over the index the search-index stage writes: one class per dialect (FTS5 with
 * bm25 on SQLite, tsvector with ts_rank on PostgreSQL), one shape of answer. Matched words come back
 * wrapped in two private-use characters, never in markup (src/digest/highlight.ts turns them into runs).
 */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export interface SearchFilters {
  /** Announcement (else submission) day, inclusive, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** A topic tag of the shown version's summary. */
  tag?: string;
  category?: string;
  hasCode?: boolean;
}

export interface SearchQuery {
  /** What the reader typed; empty lists the papers matching the filters, newest first. */
  text: string;
  filters: SearchFilters;
  offset: number;
  perPage: number;
  /** Matches ranked at most: the most recently stored this many. */
  maxRanked: number;
  /** Called between statements; throws to stop a search nobody waits for any more. */
  stillWanted: () => void;
}

/** One paper of a results page: title and authors with every match marked, and a marked passage. */
export interface SearchMatch {
  id: string;
  title: string;
  /** Null when nothing was searched for (a listing): the caller shows the names as stored. */
  authors: string | null;
  abstractSnippet: string;
  summarySnippet: string | null;
}

export interface SearchMatches {
  /** Every paper matching, exactly. */
  total: number;
  /** How many of them were ranked and can be paged through. */
  ranked: number;
  /** The page's papers, best first. */
  rows: SearchMatch[];
}

export const SNIPPET_TOKENS = 32;
/** A listing's passage: the abstract's first characters. */
const LISTING_SNIPPET_CHARS = 240;
/** The day a paper is filed under: its first announcement, else its submission. */
export const PAPER_DAY = sql`coalesce(p.first_announced_on, substr(p.published_at, 1, 10))`;

/** How many rows the page at `offset` holds when `ranked` matches can be paged through (0 past them). */
export const pageLimit = (perPage: number, ranked: number, offset: number) => Math.max(0, Math.min(perPage, ranked - offset));

export abstract class SearchRepository {
  constructor(protected readonly db: Db) {}

  /** The reader's text in this dialect's query language; null when nothing searchable is left. */
  protected abstract queryText(text: string): string | null;
  /** A filter on `p` (papers) keeping papers whose shown version's summary has `tag`. */
  protected abstract tagFilter(tag: string): RawBuilder<unknown>;
  /** The ranked page of `query` matches (`match` is queryText's answer). */
  protected abstract rankedMatches(match: string, where: RawBuilder<unknown>, query: SearchQuery): Promise<SearchMatches>;

  /** The page of papers `query` asks for, with the total. */
  async matches(query: SearchQuery): Promise<SearchMatches> {
    query.stillWanted();
    const where = this.filterSql(query.filters);
    const match = this.queryText(query.text);
    if (match !== null) return this.rankedMatches(match, where, query);
    // Only punctuation was typed: nothing to look for.
    if (query.text.trim() !== '') return { total: 0, ranked: 0, rows: [] };
    const count = await sql<{ n: number }>`SELECT count(*) AS n FROM papers p WHERE ${where}`.execute(this.db);
    const total = Number(count.rows[0]?.n ?? 0);
    query.stillWanted();
    const found = await sql<{ id: string; title: string; abstract: string }>`SELECT p.id, p.title,
        CASE WHEN length(p.abstract) > ${sql.lit(LISTING_SNIPPET_CHARS)} THEN substr(p.abstract, 1, ${sql.lit(LISTING_SNIPPET_CHARS)}) || '…' ELSE p.abstract END AS abstract
      FROM papers p WHERE ${where} ORDER BY ${PAPER_DAY} DESC, p.seq DESC LIMIT ${query.perPage} OFFSET ${query.offset}`.execute(this.db);
    // Newest first needs no ranking: every match can be paged through.
    return { total, ranked: total, rows: found.rows.map((r) => ({ id: r.id, title: r.title, authors: null, abstractSnippet: r.abstract, summarySnippet: null })) };
  }

  /** Whether any filter narrows the papers (a search without one need not read the papers table to count). */
  protected static filtered(filters: SearchFilters): boolean {
    return Boolean(filters.from || filters.to || filters.tag || filters.category || filters.hasCode !== undefined);
  }

  private filterSql(filters: SearchFilters): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
    if (filters.from) parts.push(sql`${PAPER_DAY} >= ${filters.from}`);
    if (filters.to) parts.push(sql`${PAPER_DAY} <= ${filters.to}`);
    if (filters.tag) parts.push(this.tagFilter(filters.tag));
    if (filters.category) parts.push(sql`EXISTS (SELECT 1 FROM paper_categories c WHERE c.paper_id = p.id AND c.category = ${filters.category})`);
    if (filters.hasCode !== undefined) {
      const code = sql`EXISTS (SELECT 1 FROM code_links l WHERE l.paper_id = p.id)`;
      parts.push(filters.hasCode ? code : sql`NOT ${code}`);
    }
    return sql.join(parts, sql` AND `);
  }
}
