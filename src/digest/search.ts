import { sql, type RawBuilder } from 'kysely';
import type { Store } from '../store/store.ts';
import type { Tag } from '../domain/taxonomy.ts';
import { loadPaperDetails, toCard, type PaperCard } from './cards.ts';
import { dialectOf, type Dialect } from '../store/dialect.ts';
import { toFtsQuery, toTsQuery } from './fts-query.ts';
import { MATCH_END, MATCH_START, toSegments, type Segment } from './highlight.ts';

export interface SearchParams {
  /** What the reader typed; empty lists the papers matching the filters, newest first. */
  q: string;
  from?: string;
  to?: string;
  tag?: Tag;
  category?: string;
  hasCode?: boolean;
  page: number;
  perPage: number;
  /** Matches ranked at most (the most recently stored ones); RANKED_MATCHES unless a test says otherwise. */
  maxRanked?: number;
}

/**
 * A query matching more papers than this ranks only the most recently stored this many of them:
 * bm25/ts_rank cost grows with every match (a common word matches hundreds of thousands of papers in a
 * store of a million: seconds per query, docs/benchmarks.md), finding the newest matches does not. For a
 * site about today's research the newest are the ones asked for; a date range or another word reaches
 * older ones. The total stays exact.
 */
export const RANKED_MATCHES = 20_000;

/** How many rows the page at `offset` holds when `ranked` matches can be paged through (0 past them). */
const pageLimit = (perPage: number, ranked: number, offset: number) => Math.max(0, Math.min(perPage, ranked - offset));

export interface SearchHit {
  paper: PaperCard;
  announcedOn: string | null;
  /** Title, authors and the best matching passage, with the matched words marked. */
  match: { title: Segment[]; authors: Segment[]; snippet: Segment[] };
}

export interface SearchResults {
  query: string;
  total: number;
  /** How many of the total were ranked (and can be paged through): all of them, or the newest RANKED_MATCHES. */
  ranked: number;
  page: number;
  perPage: number;
  pages: number;
  hits: SearchHit[];
}

/** Title weighs most, then author names, then summary text, then the abstract. */
const BM25 = sql`bm25(papers_fts, 8.0, 1.0, 4.0, 2.0)`;
const SNIPPET_TOKENS = 32;
const AUTHORS_SHOWN = 6;
const DAY = sql`coalesce(p.first_announced_on, substr(p.published_at, 1, 10))`;

function filterSql(dialect: Dialect, params: SearchParams): RawBuilder<unknown> {
  const filters: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (params.from) filters.push(sql`${DAY} >= ${params.from}`);
  if (params.to) filters.push(sql`${DAY} <= ${params.to}`);
  if (params.tag && dialect === 'postgres') {
    filters.push(sql`EXISTS (SELECT 1 FROM summaries s WHERE s.paper_id = p.id AND s.version = p.latest_version AND s.tags::jsonb ? ${params.tag})`);
  } else if (params.tag) {
    filters.push(
      sql`EXISTS (SELECT 1 FROM summaries s, json_each(s.tags) t WHERE s.paper_id = p.id AND s.version = p.latest_version AND t.value = ${params.tag})`,
    );
  }
  if (params.category) filters.push(sql`EXISTS (SELECT 1 FROM paper_categories c WHERE c.paper_id = p.id AND c.category = ${params.category})`);
  if (params.hasCode !== undefined) {
    const code = sql`EXISTS (SELECT 1 FROM code_links l WHERE l.paper_id = p.id)`;
    filters.push(params.hasCode ? code : sql`NOT ${code}`);
  }
  return sql.join(filters, sql` AND `);
}

function hasFilters(params: SearchParams): boolean {
  return Boolean(params.from || params.to || params.tag || params.category || params.hasCode !== undefined);
}

/** Long author lists keep the first names and every name that matched. */
function shortenAuthors(marked: string): string {
  const names = marked.split(', ');
  if (names.length <= AUTHORS_SHOWN + 2) return marked;
  const kept = names.filter((name, i) => i < AUTHORS_SHOWN || name.includes(MATCH_START));
  return `${kept.join(', ')} et al.`;
}

interface MatchRow {
  id: string;
  title: string;
  authors: string | null;
  abstract_snippet: string;
  summary_snippet: string | null;
}

// ts_rank weights for {D, C, B, A}: abstract, summary, authors, title (migrations/postgres/0007), in
// the proportions of the bm25() weights above.
const TS_WEIGHTS = '{0.125, 0.25, 0.5, 1.0}';
// Control characters: never in stored display text, and blanks to the text-search parser (under a C
// locale it reads every non-ASCII character as a letter, which would glue a guard to the next word).
const TAG_GUARD = '\u0001\u0002';
const HIGHLIGHT_ALL = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, HighlightAll=true`;
const SNIPPET = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=${SNIPPET_TOKENS}, MinWords=${SNIPPET_TOKENS / 2}, MaxFragments=1, FragmentDelimiter=…`;

/** PostgreSQL full-text search: GIN-indexed tsvector, ts_rank order, ts_headline marks. */
async function postgresMatches(store: Store, tsQuery: string, filters: RawBuilder<unknown>, perPage: number, offset: number, maxRanked: number, stillWanted: () => void): Promise<{ total: number; rows: MatchRow[] }> {
  const query = sql`to_tsquery('english', ${tsQuery})`;
  const count = await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
    WHERE papers_fts.document @@ ${query} AND ${filters}`.execute(store.db);
  const total = Number(count.rows[0]?.n ?? 0);
  stillWanted();
  // Pages past the ranked matches are empty.
  const limit = pageLimit(perPage, Math.min(total, maxRanked), offset);
  if (limit === 0) return { total, rows: [] };
  let where = filters;
  if (total > maxRanked) {
    // The newest maxRanked matches: a top-N sort of sequence numbers, no rank computed.
    const bound = await sql<{ seq: number }>`SELECT p.seq FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
      WHERE papers_fts.document @@ ${query} AND ${filters} ORDER BY p.seq DESC LIMIT 1 OFFSET ${maxRanked - 1}`.execute(store.db);
    where = sql`${filters} AND p.seq >= ${Number(bound.rows[0]!.seq)}`;
    stillWanted();
  }
  // Headlines are computed for the page only: ts_headline re-parses the text and costs more than the match.
  // ts_headline's parser reads `<…>` as HTML tags and drops them from snippets; stored text is shown
  // as text, so angle brackets are swapped for two control characters around the call and back after.
  const headline = (text: RawBuilder<unknown>, options: string) =>
    sql`translate(ts_headline('english', translate(${text}, '<>', ${TAG_GUARD}), m.q, ${options}), ${TAG_GUARD}, '<>')`;
  const found = await sql<MatchRow>`SELECT m.id,
      ${headline(sql`m.title`, HIGHLIGHT_ALL)} AS title,
      ${headline(sql`coalesce(m.authors, '')`, HIGHLIGHT_ALL)} AS authors,
      ${headline(sql`m.abstract`, SNIPPET)} AS abstract_snippet,
      CASE WHEN m.summary IS NULL THEN NULL ELSE ${headline(sql`m.summary`, SNIPPET)} END AS summary_snippet
    FROM (
      SELECT p.id, f.title, f.abstract, f.authors, f.summary, q.q, ts_rank(${TS_WEIGHTS}::float4[], f.document, q.q) AS rank, p.seq
      FROM papers_fts f JOIN papers p ON p.seq = f.rowid CROSS JOIN (SELECT ${query} AS q) q
      WHERE f.document @@ q.q AND ${where}
      ORDER BY rank DESC, p.seq DESC LIMIT ${limit} OFFSET ${offset}
    ) m ORDER BY m.rank DESC, m.seq DESC`.execute(store.db);
  return { total, rows: found.rows };
}

/** Thrown between a search's statements once its signal has fired: nobody is waiting for the answer. */
export class SearchAbandonedError extends Error {
  constructor() {
    super('search abandoned: the request was aborted');
    this.name = 'SearchAbandonedError';
  }
}

export interface SearchOptions {
  /** When it fires (the client went away), the search stops before its next statement. */
  signal?: AbortSignal;
}

/** Full-text search over title, abstract, authors and summaries (FTS5, bm25), with filters and pages. */
export async function searchPapers(store: Store, params: SearchParams, options: SearchOptions = {}): Promise<SearchResults> {
  // Checked between statements. On PostgreSQL each statement is a real wait, during which a disconnect
  // is seen; on SQLite they run synchronously back to back, so only the check before the first one
  // can see it (the search turns of web/limits.ts yield to the event loop just before). Yielding
  // between statements too was measured: under a page-cache-hit load each yield waits out a whole turn
  // of the loop, and searches took several times longer.
  const stillWanted = () => {
    if (options.signal?.aborted) throw new SearchAbandonedError();
  };
  stillWanted();
  const dialect = dialectOf(store.db);
  const fts = dialect === 'postgres' ? toTsQuery(params.q) : toFtsQuery(params.q);
  const where = filterSql(dialect, params);
  const offset = (params.page - 1) * params.perPage;
  const maxRanked = params.maxRanked ?? RANKED_MATCHES;
  let total: number;
  let ranked: number;
  let rows: MatchRow[];
  if (fts !== null && dialect === 'postgres') {
    ({ total, rows } = await postgresMatches(store, fts, where, params.perPage, offset, maxRanked, stillWanted));
    ranked = Math.min(total, maxRanked);
  } else if (fts !== null) {
    // Two steps, measured on a 100,000-paper store (`npm run bench`): rank the matches first, reading
    // the papers table only when a filter needs it (joining every match of a common word costs more
    // than ranking it), then mark up just the page's rows, so highlight() and snippet() run 20 times
    // rather than once per match.
    const filtered = hasFilters(params);
    const count = filtered
      ? await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid WHERE papers_fts MATCH ${fts} AND ${where}`.execute(store.db)
      : await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ${fts}`.execute(store.db);
    total = Number(count.rows[0]?.n ?? 0);
    ranked = Math.min(total, maxRanked);
    stillWanted();
    // Past maxRanked matches, only the newest are ranked: FTS5 walks a doclist newest first without
    // scoring it, and then scores just the rowid range from there (a range it seeks to).
    let newest = sql`1 = 1`;
    if (total > maxRanked) {
      const bound = filtered
        ? await sql<{ seq: number }>`SELECT papers_fts.rowid AS seq FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
            WHERE papers_fts MATCH ${fts} AND ${where} ORDER BY papers_fts.rowid DESC LIMIT 1 OFFSET ${maxRanked - 1}`.execute(store.db)
        : await sql<{ seq: number }>`SELECT rowid AS seq FROM papers_fts WHERE papers_fts MATCH ${fts} ORDER BY rowid DESC LIMIT 1 OFFSET ${maxRanked - 1}`.execute(store.db);
      newest = sql`papers_fts.rowid >= ${Number(bound.rows[0]!.seq)}`;
      stillWanted();
    }
    const limit = pageLimit(params.perPage, ranked, offset);
    const page =
      limit === 0
        ? { rows: [] as Array<{ seq: number }> }
        : filtered
          ? await sql<{ seq: number }>`SELECT p.seq AS seq FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
          WHERE papers_fts MATCH ${fts} AND ${newest} AND ${where}
          ORDER BY ${BM25}, p.seq DESC LIMIT ${limit} OFFSET ${offset}`.execute(store.db)
          : await sql<{ seq: number }>`SELECT rowid AS seq FROM papers_fts WHERE papers_fts MATCH ${fts} AND ${newest}
          ORDER BY ${BM25}, rowid DESC LIMIT ${limit} OFFSET ${offset}`.execute(store.db);
    const order = page.rows.map((r) => r.seq);
    stillWanted();
    const found =
      order.length === 0
        ? { rows: [] as Array<MatchRow & { seq: number }> }
        : await sql<MatchRow & { seq: number }>`SELECT p.seq AS seq, p.id,
        highlight(papers_fts, 0, ${MATCH_START}, ${MATCH_END}) AS title,
        highlight(papers_fts, 2, ${MATCH_START}, ${MATCH_END}) AS authors,
        snippet(papers_fts, 1, ${MATCH_START}, ${MATCH_END}, '…', ${SNIPPET_TOKENS}) AS abstract_snippet,
        snippet(papers_fts, 3, ${MATCH_START}, ${MATCH_END}, '…', ${SNIPPET_TOKENS}) AS summary_snippet
      FROM papers_fts JOIN papers p ON p.seq = papers_fts.rowid
      WHERE papers_fts MATCH ${fts} AND papers_fts.rowid IN (${sql.join(order)})`.execute(store.db);
    const bySeq = new Map(found.rows.map((r) => [r.seq, r]));
    rows = order.flatMap((seq) => bySeq.get(seq) ?? []);
  } else if (params.q.trim() === '') {
    const count = await sql<{ n: number }>`SELECT count(*) AS n FROM papers p WHERE ${where}`.execute(store.db);
    total = Number(count.rows[0]?.n ?? 0);
    // Newest first needs no ranking: every match can be paged through.
    ranked = total;
    const found = await sql<MatchRow>`SELECT p.id, p.title, NULL AS authors, CASE WHEN length(p.abstract) > 240 THEN substr(p.abstract, 1, 240) || '…' ELSE p.abstract END AS abstract_snippet, NULL AS summary_snippet
      FROM papers p WHERE ${where} ORDER BY ${DAY} DESC, p.seq DESC LIMIT ${params.perPage} OFFSET ${offset}`.execute(store.db);
    rows = found.rows;
  } else {
    // Only punctuation was typed: nothing to look for.
    total = 0;
    ranked = 0;
    rows = [];
  }
  stillWanted();
  const details = await loadPaperDetails(store, rows.map((r) => r.id));
  const byId = new Map(details.map((d) => [d.id, d]));
  const hits: SearchHit[] = [];
  for (const row of rows) {
    const detail = byId.get(row.id);
    if (!detail) continue;
    const snippet = row.abstract_snippet.includes(MATCH_START) || !row.summary_snippet?.includes(MATCH_START) ? row.abstract_snippet : row.summary_snippet;
    hits.push({
      paper: toCard(detail),
      announcedOn: detail.announcedOn,
      match: {
        title: toSegments(row.title),
        authors: toSegments(shortenAuthors(row.authors ?? detail.authors.map((a) => a.name).join(', '))),
        snippet: toSegments(snippet),
      },
    });
  }
  return { query: params.q, total, ranked, page: params.page, perPage: params.perPage, pages: Math.max(1, Math.ceil(ranked / params.perPage)), hits };
}
