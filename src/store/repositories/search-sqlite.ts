import { sql, type RawBuilder } from 'kysely';
import { toFtsQuery } from '../search-query.ts';
import { MATCH_END, MATCH_START, pageLimit, SearchRepository, SNIPPET_TOKENS, type SearchMatch, type SearchMatches, type SearchQuery } from './search.ts';

/** Title weighs most, then author names, then summary text, then the abstract. */
const BM25 = sql`bm25(papers_fts, 8.0, 1.0, 4.0, 2.0)`;

/** SQLite's search: FTS5 (migration 0007's papers_fts), bm25 order, highlight() and snippet() marks. */
export class SqliteSearch extends SearchRepository {
  protected queryText(text: string): string | null {
    return toFtsQuery(text);
  }

  protected tagFilter(tag: string): RawBuilder<unknown> {
    return sql`EXISTS (SELECT 1 FROM summaries s, json_each(s.tags) t WHERE s.paper_id = p.id AND s.version = p.latest_version AND t.value = ${tag})`;
  }

  /**
   * Two steps, measured on a 100,000-paper store (`npm run bench`): rank the matches first, reading
   * the papers table only when a filter needs it (joining every match of a common word costs more
   * than ranking it), then mark up just the page's rows, so highlight() and snippet() run 20 times
   * rather than once per match.
   */
  protected async rankedMatches(fts: string, where: RawBuilder<unknown>, query: SearchQuery): Promise<SearchMatches> {
    const { db } = this;
    const filtered = SearchRepository.filtered(query.filters);
    const count = filtered
      ? await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid WHERE papers_fts MATCH ${fts} AND ${where}`.execute(db)
      : await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ${fts}`.execute(db);
    const total = Number(count.rows[0]?.n ?? 0);
    const ranked = Math.min(total, query.maxRanked);
    query.stillWanted();
    // Past maxRanked matches, only the newest are ranked: FTS5 walks a doclist newest first without
    // scoring it, and then scores just the rowid range from there (a range it seeks to).
    let newest = sql`1 = 1`;
    if (total > query.maxRanked) {
      const bound = filtered
        ? await sql<{ seq: number }>`SELECT papers_fts.rowid AS seq FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
            WHERE papers_fts MATCH ${fts} AND ${where} ORDER BY papers_fts.rowid DESC LIMIT 1 OFFSET ${query.maxRanked - 1}`.execute(db)
        : await sql<{ seq: number }>`SELECT rowid AS seq FROM papers_fts WHERE papers_fts MATCH ${fts} ORDER BY rowid DESC LIMIT 1 OFFSET ${query.maxRanked - 1}`.execute(db);
      newest = sql`papers_fts.rowid >= ${Number(bound.rows[0]!.seq)}`;
      query.stillWanted();
    }
    const limit = pageLimit(query.perPage, ranked, query.offset);
    const page =
      limit === 0
        ? { rows: [] as Array<{ seq: number }> }
        : filtered
          ? await sql<{ seq: number }>`SELECT p.seq AS seq FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
          WHERE papers_fts MATCH ${fts} AND ${newest} AND ${where}
          ORDER BY ${BM25}, p.seq DESC LIMIT ${limit} OFFSET ${query.offset}`.execute(db)
          : await sql<{ seq: number }>`SELECT rowid AS seq FROM papers_fts WHERE papers_fts MATCH ${fts} AND ${newest}
          ORDER BY ${BM25}, rowid DESC LIMIT ${limit} OFFSET ${query.offset}`.execute(db);
    const order = page.rows.map((r) => r.seq);
    query.stillWanted();
    if (order.length === 0) return { total, ranked, rows: [] };
    const found = await sql<SearchMatch & { seq: number }>`SELECT p.seq AS seq, p.id,
        highlight(papers_fts, 0, ${MATCH_START}, ${MATCH_END}) AS title,
        highlight(papers_fts, 2, ${MATCH_START}, ${MATCH_END}) AS authors,
        snippet(papers_fts, 1, ${MATCH_START}, ${MATCH_END}, '…', ${SNIPPET_TOKENS}) AS "abstractSnippet",
        snippet(papers_fts, 3, ${MATCH_START}, ${MATCH_END}, '…', ${SNIPPET_TOKENS}) AS "summarySnippet"
      FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
      WHERE papers_fts MATCH ${fts} AND papers_fts.rowid IN (${sql.join(order)})`.execute(db);
    const bySeq = new Map(found.rows.map(({ seq, ...match }) => [seq, match]));
    return { total, ranked, rows: order.flatMap((seq) => bySeq.get(seq) ?? []) };
  }
}
