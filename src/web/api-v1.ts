import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getAuthorProfile } from '../digest/author-profile.ts';
import { loadPaperDetails, type PaperDetail } from '../digest/cards.ts';
import { DigestNotFoundError, getDigest } from '../digest/digest-query.ts';
import { papersBySameAuthors } from '../digest/same-authors.ts';
import { searchPapers } from '../digest/search.ts';
import { updateFrequencyHours } from '../pipeline/scheduler.ts';
import type { AppContext } from '../pipeline/context.ts';
import { createReaderApi } from './api-me.ts';
import type { PersonalDigests } from './readers/personal-digest.ts';
import { requestSignal } from './limits.ts';
import { citationAnswer } from './citations/answer.ts';
import { authorRoute, digestCitationRoute, digestRoute, openApiDocument, openApiRoute, paperCitationRoute, paperRoute, searchCitationRoute, searchRoute } from './openapi.ts';
import { describeZodError } from './params.ts';
import { jsonError } from './responses.ts';
import { hasFilter, toSearchParams } from './search/params.ts';

export { jsonError };

type Documented200 = { responses: { 200: { content: { 'application/json': { schema: z.ZodType } } } } };

/**
 * A 200 answer, its body type-checked against the route's documented schema (the library checks
 * answers only of routes whose every status has a body, and a 304 has none).
 */
const ok = <Route extends Documented200>(c: Context, _route: Route, body: z.output<Route['responses'][200]['content']['application/json']['schema']>) => c.json(body, 200);


/**
 * The versioned JSON API: the routes of openapi.ts, whose schemas validate every parameter (a 400 in
 * the JSON error shape otherwise) and type the answers.
 */
export function createApiV1(ctx: AppContext, digests: PersonalDigests): OpenAPIHono {
  const api = new OpenAPIHono({
    // A parameter that fails its schema is a 400 in the API's error shape.
    defaultHook: (result, c) => {
      if (!result.success) return jsonError(c, 400, describeZodError(result.error));
    },
  });
  const frequency = updateFrequencyHours(ctx.config.schedule);

  api.openapi(digestRoute, async (c) => {
    try {
      const digest = await getDigest(ctx.store, {
        date: c.req.valid('query').date,
        historyDays: ctx.config.historyDays,
        updateFrequencyHours: frequency,
        categories: ctx.config.categories,
        calendar: ctx.arxiv.calendar,
      });
      return ok(c, digestRoute, { date: digest.date, isLatest: digest.isLatest, days: digest.days, stats: digest.stats, announcement: digest.announcement, papers: digest.papers });
    } catch (error) {
      if (error instanceof DigestNotFoundError) return jsonError(c, 404, error.message);
      throw error;
    }
  });

  api.openapi(digestCitationRoute, async (c) => {
    const { date, format } = c.req.valid('query');
    try {
      const digest = await getDigest(ctx.store, { date, historyDays: ctx.config.historyDays, updateFrequencyHours: frequency, categories: ctx.config.categories, calendar: ctx.arxiv.calendar });
      return citationAnswer(c, await loadPaperDetails(ctx.store, digest.papers.map((paper) => paper.id)), format, `papersift-digest-${digest.date}`);
    } catch (error) {
      if (error instanceof DigestNotFoundError) return jsonError(c, 404, error.message);
      throw error;
    }
  });

  // Before the paper route, whose id takes the rest of the path.
  api.openapi({ ...paperCitationRoute, path: '/papers/{id{.+}}/citation' }, async (c) => {
    const { id } = c.req.valid('param');
    const { format } = c.req.valid('query');
    const papers = await loadPaperDetails(ctx.store, [id]);
    if (papers.length === 0) return jsonError(c, 404, `no paper ${id} in this papersift`);
    return citationAnswer(c, papers, format, `papersift-${id.replaceAll('/', '_')}`);
  });

  // Old-style arXiv ids hold a slash (hep-th/9901001): the route takes the rest of the path.
  api.openapi({ ...paperRoute, path: '/papers/{id{.+}}' }, async (c) => {
    const { id } = c.req.valid('param');
    const [paper] = await loadPaperDetails(ctx.store, [id]);
    if (!paper) return jsonError(c, 404, `no paper ${id} in this papersift`);
    return ok(c, paperRoute, { ...paper, sameAuthors: await papersBySameAuthors(ctx.store, paper.id) });
  });

  api.openapi(authorRoute, async (c) => {
    const { id } = c.req.valid('param');
    const profile = await getAuthorProfile(ctx.store, id, { page: c.req.valid('query').page });
    if (!profile) return jsonError(c, 404, `no author ${id} in this papersift`);
    return ok(c, authorRoute, profile);
  });

  api.openapi(searchRoute, async (c) => {
    const query = c.req.valid('query');
    if (!query.q && !hasFilter(query)) return jsonError(c, 400, 'q: give words to search, or at least one filter');
    return ok(c, searchRoute, await searchPapers(ctx.store, toSearchParams(query), { signal: requestSignal(c) }));
  });

  api.openapi(searchCitationRoute, async (c) => {
    const { format, ...query } = c.req.valid('query');
    if (!query.q && !hasFilter(query)) return jsonError(c, 400, 'q: give words to search, or at least one filter');
    const results = await searchPapers(ctx.store, toSearchParams(query), { signal: requestSignal(c) });
    return citationAnswer(c, await loadPaperDetails(ctx.store, results.hits.map((hit) => hit.paper.id)), format, 'papersift-search');
  });

  api.openapi(openApiRoute, (c) => ok(c, openApiRoute, openApiDocument()));
  api.route('/', createReaderApi(ctx, digests));

  api.notFound((c) => jsonError(c, 404, `no API route ${c.req.method} ${c.req.path}`));
  return api;
}
