import { sql, type RawBuilder } from 'kysely';
import { toTsQuery } from '../search-query.ts';
import { MATCH_END, MATCH_START, pageLimit, SearchRepository, SNIPPET_TOKENS, type SearchMatch, type SearchMatches, type SearchQuery } from './search.ts';

// ts_rank weights for {D, C, B, A}: abstract, summary, authors, title (migrations/postgres/0007), in
// the proportions of SQLite's bm25() weights.
const TS_WEIGHTS = '{0.125, 0.25, 0.5, 1.0}';
// Control characters: never in stored display text, and blanks to the text-search parser (under a C
// locale it reads every non-ASCII character as a letter, which would glue a guard to the next word).
const TAG_GUARD = '\u0001\u0002';
const HIGHLIGHT_ALL = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, HighlightAll=true`;
const SNIPPET = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=${SNIPPET_TOKENS}, MinWords=${SNIPPET_TOKENS / 2}, MaxFragments=1, FragmentDelimiter=…`;

/** PostgreSQL's search: GIN-indexed tsvector (papers_fts.document), ts_rank order, ts_headline marks. */
export class PostgresSearch extends SearchRepository {
  protected queryText(text: string): string | null {
    return toTsQuery(text);
  }

  protected tagFilter(tag: string): RawBuilder<unknown> {
    return sql`EXISTS (SELECT 1 FROM summaries s WHERE s.paper_id = p.id AND s.version = p.latest_version AND s.tags::jsonb ? ${tag})`;
  }

  protected async rankedMatches(tsQuery: string, filters: RawBuilder<unknown>, query: SearchQuery): Promise<SearchMatches> {
    const { db } = this;
    const match = sql`to_tsquery('english', ${tsQuery})`;
    const count = await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
      WHERE papers_fts.document @@ ${match} AND ${filters}`.execute(db);
    const total = Number(count.rows[0]?.n ?? 0);
    const ranked = Math.min(total, query.maxRanked);
    query.stillWanted();
    // Pages past the ranked matches are empty.
    const limit = pageLimit(query.perPage, ranked, query.offset);
    if (limit === 0) return { total, ranked, rows: [] };
    let where = filters;
    if (total > query.maxRanked) {
      // The newest maxRanked matches: a top-N sort of sequence numbers, no rank computed.
      const bound = await sql<{ seq: number }>`SELECT p.seq FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
        WHERE papers_fts.document @@ ${match} AND ${filters} ORDER BY p.seq DESC LIMIT 1 OFFSET ${query.maxRanked - 1}`.execute(db);
      where = sql`${filters} AND p.seq >= ${Number(bound.rows[0]!.seq)}`;
      query.stillWanted();
    }
    // Headlines are computed for the page only: ts_headline re-parses the text and costs more than the match.
    // ts_headline's parser reads `<…>` as HTML tags and drops them from snippets; stored text is shown
    // as text, so angle brackets are swapped for two control characters around the call and back after.
    const headline = (text: RawBuilder<unknown>, options: string) =>
      sql`translate(ts_headline('english', translate(${text}, '<>', ${TAG_GUARD}), m.q, ${options}), ${TAG_GUARD}, '<>')`;
    const found = await sql<SearchMatch>`SELECT m.id,
        ${headline(sql`m.title`, HIGHLIGHT_ALL)} AS title,
        ${headline(sql`coalesce(m.authors, '')`, HIGHLIGHT_ALL)} AS authors,
        ${headline(sql`m.abstract`, SNIPPET)} AS "abstractSnippet",
        CASE WHEN m.summary IS NULL THEN NULL ELSE ${headline(sql`m.summary`, SNIPPET)} END AS "summarySnippet"
      FROM (
        SELECT p.id, f.title, f.abstract, f.authors, f.summary, q.q, ts_rank(${TS_WEIGHTS}::float4[], f.document, q.q) AS rank, p.seq
        FROM papers_fts f JOIN papers p ON p.seq = f.rowid CROSS JOIN (SELECT ${match} AS q) q
        WHERE f.document @@ q.q AND ${where}
        ORDER BY rank DESC, p.seq DESC LIMIT ${limit} OFFSET ${query.offset}
      ) m ORDER BY m.rank DESC, m.seq DESC`.execute(db);
    return { total, ranked, rows: found.rows };
  }
}
