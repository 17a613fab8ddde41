import fs from 'node:fs';
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { loadPaperDetails } from '../digest/cards.ts';
import { DigestNotFoundError, getDigest } from '../digest/digest-query.ts';
import type { AppContext } from '../pipeline/context.ts';
import { updateFrequencyHours } from '../pipeline/scheduler.ts';
import { tagFromSlug } from '../summarize/taxonomy.ts';
import { createApiV1, jsonError } from './api-v1.ts';
import { DigestPage, NoDigestPage } from './pages/digest-page.tsx';
import { PaperPage } from './pages/paper-page.tsx';
import { arxivIdParam, isoDateParam } from './params.ts';

const STYLESHEET = fs.readFileSync(new URL('./assets/style.css', import.meta.url), 'utf8');

/** The whole web application: pages, JSON API and health check, over one AppContext. */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  const frequency = updateFrequencyHours(ctx.config.schedule);

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
    }),
  );

  app.get('/healthz', async (c) => {
    const row = await ctx.store.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return c.json({ status: 'ok', papers: Number(row.n) });
  });

  app.get('/assets/style.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  app.route('/api/v1', createApiV1(ctx));

  const renderDigest = async (c: Context, date: string | undefined) => {
    const tagParam = c.req.query('tag');
    const tag = tagParam ? (tagFromSlug(tagParam) ?? null) : null;
    if (tagParam && tag === null) {
      c.status(400);
      return c.html(<NoDigestPage message={`"${tagParam}" is not a topic of papersift's taxonomy.`} />);
    }
    try {
      const digest = await getDigest(ctx.store, { date, historyDays: ctx.config.historyDays, updateFrequencyHours: frequency, categories: ctx.config.categories });
      return c.html(<DigestPage digest={digest} tag={tag} />);
    } catch (error) {
      if (!(error instanceof DigestNotFoundError)) throw error;
      c.status(404);
      return c.html(<NoDigestPage message={error.message} />);
    }
  };

  app.get('/', (c) => renderDigest(c, undefined));

  app.get('/digest/:date', (c) => {
    const date = isoDateParam.safeParse(c.req.param('date'));
    if (!date.success) {
      c.status(400);
      return c.html(<NoDigestPage message="A digest address looks like /digest/2026-06-26." />);
    }
    return renderDigest(c, date.data);
  });

  app.get('/papers/:id{.+}', async (c) => {
    const id = arxivIdParam.safeParse(c.req.param('id'));
    const [paper] = id.success ? await loadPaperDetails(ctx.store, [id.data]) : [];
    if (!paper) {
      c.status(404);
      return c.html(<NoDigestPage message="No such paper in papersift." />);
    }
    return c.html(<PaperPage paper={paper} />);
  });

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return jsonError(c, 404, `no route ${c.req.path}`);
    c.status(404);
    return c.html(<NoDigestPage message="There is no page at this address." />);
  });

  app.onError((error, c) => {
    ctx.logger.error('request failed', { path: c.req.path, error: error.message });
    if (c.req.path.startsWith('/api/')) return jsonError(c, 500, 'internal error');
    c.status(500);
    return c.html(<NoDigestPage message="Something went wrong on our side." />);
  });

  return app;
}
