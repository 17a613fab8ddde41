import type { Context } from 'hono';
import { searchPapers } from '../../digest/search.ts';
import type { AppContext } from '../../pipeline/context.ts';
import { jsonError, sendPage } from '../responses.ts';
import { requestSignal } from '../limits.ts';
import { describeZodError } from '../params.ts';
import { searchQuerySchema, toSearchParams, type SearchQuery } from './params.ts';
import { SearchErrorPage, SearchPage } from './search-page.tsx';

const hasFilter = (q: SearchQuery) => q.from !== undefined || q.to !== undefined || q.tag !== undefined || q.category !== undefined || q.code !== undefined;

/** GET /search: the form alone until there is something to search, then results. */
export function searchPageHandler(ctx: AppContext) {
  return async (c: Context) => {
    const query = searchQuerySchema.safeParse(c.req.query());
    if (!query.success) return sendPage(c, <SearchErrorPage message={describeZodError(query.error)} />, 400);
    const results = query.data.q || hasFilter(query.data) ? await searchPapers(ctx.store, toSearchParams(query.data), { signal: requestSignal(c) }) : null;
    return sendPage(c, <SearchPage query={query.data} results={results} />);
  };
}

/** GET /api/v1/search: the same search as JSON; `q` or a filter is required. */
export function searchApiHandler(ctx: AppContext) {
  return async (c: Context) => {
    const query = searchQuerySchema.safeParse(c.req.query());
    if (!query.success) return jsonError(c, 400, describeZodError(query.error));
    if (!query.data.q && !hasFilter(query.data)) return jsonError(c, 400, 'q: give words to search, or at least one filter');
    return c.json(await searchPapers(ctx.store, toSearchParams(query.data), { signal: requestSignal(c) }));
  };
}
