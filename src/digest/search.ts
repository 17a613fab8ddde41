import type { Store } from '../store/store.ts';
import type { Tag } from '../domain/taxonomy.ts';
import { loadPaperDetails, toCard, type PaperCard } from './cards.ts';
import { MATCH_START, toSegments, type Segment } from './highlight.ts';

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

const AUTHORS_SHOWN = 6;

/** Long author lists keep the first names and every name that matched. */
function shortenAuthors(marked: string): string {
  const names = marked.split(', ');
  if (names.length <= AUTHORS_SHOWN + 2) return marked;
  const kept = names.filter((name, i) => i < AUTHORS_SHOWN || name.includes(MATCH_START));
  return `${kept.join(', ')} et al.`;
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

/** Full-text search over title, abstract, authors and summaries (the store's search index), with filters and pages. */
export async function searchPapers(store: Store, params: SearchParams, options: SearchOptions = {}): Promise<SearchResults> {
  // Checked between statements. On PostgreSQL each statement is a real wait, during which a disconnect
  // is seen; on SQLite they run synchronously back to back, so only the check before the first one
  // can see it (the search turns of web/limits.ts yield to the event loop just before). Yielding
  // between statements too was measured: under a page-cache-hit load each yield waits out a whole turn
  // of the loop, and searches took several times longer.
  const stillWanted = () => {
    if (options.signal?.aborted) throw new SearchAbandonedError();
  };
  const { from, to, tag, category, hasCode } = params;
  const { total, ranked, rows } = await store.search.matches({
    text: params.q,
    filters: { from, to, tag, category, hasCode },
    offset: (params.page - 1) * params.perPage,
    perPage: params.perPage,
    maxRanked: params.maxRanked ?? RANKED_MATCHES,
    stillWanted,
  });
  stillWanted();
  const details = await loadPaperDetails(store, rows.map((r) => r.id));
  const byId = new Map(details.map((d) => [d.id, d]));
  const hits: SearchHit[] = [];
  for (const row of rows) {
    const detail = byId.get(row.id);
    if (!detail) continue;
    const snippet = row.abstractSnippet.includes(MATCH_START) || !row.summarySnippet?.includes(MATCH_START) ? row.abstractSnippet : row.summarySnippet;
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
