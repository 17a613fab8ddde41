import type { Context } from 'hono';
import { searchPapers } from '../../digest/search.ts';
import type { AppContext } from '../../pipeline/context.ts';
import { sendPage } from '../responses.ts';
import { requestSignal } from '../limits.ts';
import { describeZodError } from '../params.ts';
import { hasFilter, searchQuerySchema, toSearchParams } from './params.ts';
import { SearchErrorPage, SearchPage } from './search-page.tsx';

/** GET /search: the form alone until there is something to search, then results. */
export function searchPageHandler(ctx: AppContext) {
  return async (c: Context) => {
    const query = searchQuerySchema.safeParse(c.req.query());
    if (!query.success) return sendPage(c, <SearchErrorPage message={describeZodError(query.error)} />, 400);
    const results = query.data.q || hasFilter(query.data) ? await searchPapers(ctx.store, toSearchParams(query.data), { signal: requestSignal(c) }) : null;
    return sendPage(c, <SearchPage query={query.data} results={results} />);
  };
}
