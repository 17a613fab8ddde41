import { Hono } from 'hono';
import { getAuthorProfile } from '../digest/author-profile.ts';
import { loadPaperDetails } from '../digest/cards.ts';
import { DigestNotFoundError, getDigest } from '../digest/digest-query.ts';
import { updateFrequencyHours } from '../pipeline/scheduler.ts';
import type { AppContext } from '../pipeline/context.ts';
import { arxivIdParam, authorIdParam, authorQuerySchema, describeZodError, digestQuerySchema } from './params.ts';
import { jsonError } from './responses.ts';
import { searchApiHandler } from './search/routes.tsx';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { papersBySameAuthors } from '../digest/same-authors.ts';

export { jsonError };

/** The versioned JSON API. Every route validates its inputs and answers errors as JSON. */
export function createApiV1(ctx: AppContext): Hono {
  const api = new Hono();
  const frequency = updateFrequencyHours(ctx.config.schedule);

  api.get('/digest', async (c) => {
    const query = digestQuerySchema.safeParse(c.req.query());
    if (!query.success) return jsonError(c, 400, describeZodError(query.error));
    try {
      const digest = await getDigest(ctx.store, {
        date: query.data.date,
        historyDays: ctx.config.historyDays,
        updateFrequencyHours: frequency,
        categories: ctx.config.categories,
        calendar: ctx.arxiv.calendar,
      });
      return c.json({ date: digest.date, isLatest: digest.isLatest, days: digest.days, stats: digest.stats, announcement: digest.announcement, papers: digest.papers });
    } catch (error) {
      if (error instanceof DigestNotFoundError) return jsonError(c, 404, error.message);
      throw error;
    }
  });

  api.get('/papers/:id{.+}', async (c) => {
    const id = arxivIdParam.safeParse(c.req.param('id'));
    if (!id.success) return jsonError(c, 400, describeZodError(id.error));
    const [paper] = await loadPaperDetails(ctx.store, [id.data]);
    if (!paper) return jsonError(c, 404, `no paper ${id.data} in this papersift`);
    return c.json({ ...paper, sameAuthors: await papersBySameAuthors(ctx.store, paper.id) });
  });

  api.get('/authors/:id', async (c) => {
    const id = authorIdParam.safeParse(c.req.param('id'));
    if (!id.success) return jsonError(c, 400, describeZodError(id.error));
    const query = authorQuerySchema.safeParse(c.req.query());
    if (!query.success) return jsonError(c, 400, describeZodError(query.error));
    const profile = await getAuthorProfile(ctx.store, id.data, { page: query.data.page });
    if (!profile) return jsonError(c, 404, `no author ${id.data} in this papersift`);
    return c.json(profile);
  });
  api.get('/search', searchApiHandler(ctx));
  api.get('/openapi.json', (c) => c.json(OPENAPI_DOCUMENT));

  api.notFound((c) => jsonError(c, 404, `no API route ${c.req.method} ${c.req.path}`));
  return api;
}
