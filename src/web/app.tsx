import fs from 'node:fs';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { getAuthorProfile } from '../digest/author-profile.ts';
import { loadPaperDetails } from '../digest/cards.ts';
import { getDayPapers } from '../digest/day-papers.ts';
import { papersBySameAuthors } from '../digest/same-authors.ts';
import { DigestNotFoundError, getDigest } from '../digest/digest-query.ts';
import type { AppContext } from '../pipeline/context.ts';
import { updateFrequencyHours } from '../pipeline/scheduler.ts';
import { tagFromSlug, type Tag } from '../domain/taxonomy.ts';
import { createApiV1, jsonError } from './api-v1.ts';
import { AboutPage } from './pages/about-page.tsx';
import { AboutScoresPage } from './pages/about-scores-page.tsx';
import { DayPapersPage } from './pages/day-papers-page.tsx';
import { DigestPage, NoDigestPage } from './pages/digest-page.tsx';
import { AuthorPage } from './pages/author-page.tsx';
import { PaperPage } from './pages/paper-page.tsx';
import { sendPage } from './responses.ts';
import { arxivIdParam, authorIdParam, authorQuerySchema, isoDateParam, pageQuerySchema } from './params.ts';
import { searchPageHandler } from './search/routes.tsx';
import { createFeeds } from './feeds/routes.ts';
import { personalDigests } from './readers/personal-digest.ts';
import { createSignIn, pageReader } from './readers/sign-in.tsx';
import { csrfToken, sameSiteRequest } from './readers/csrf.ts';
import { recordFeedback } from '../pipeline/library.ts';
import { MePage } from './pages/me-page.tsx';
import { createAdmin } from './admin.ts';
import { httpCaching } from './caching.ts';
import { pageCache } from './page-cache.ts';
import { securityHeaders } from './security-headers.ts';
import { clientGone, concurrencyLimit, MAX_BODY_BYTES, rateLimit, requestBodyLimit, type Refuse } from './limits.ts';
import { createMetrics } from './metrics.ts';
import { mcpHttpHandler, rpcError } from './mcp/http.ts';

import { SearchAbandonedError } from '../digest/search.ts';

const STYLESHEET = fs.readFileSync(new URL('./assets/style.css', import.meta.url), 'utf8');

/** The whole web application: pages, JSON API and health check, over one AppContext. */
export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  const frequency = updateFrequencyHours(ctx.config.schedule);

  const metrics = createMetrics(ctx.store, ctx.jobs ?? null, Object.values(ctx.gates ?? {}).filter((gate) => gate !== undefined));
  app.use('*', metrics.middleware);
  // Every page, feed and API answer is read from the store alone (and the clock, which bounds an
  // entry's age): each is built once per store change, and requests arriving while one is being built
  // wait for it. The digest pages are what every visitor opens first and the costliest to build (50
  // cards, read from the whole store); the feeds and the API's digest cost as much (measured under the
  // soak). Outside the security headers and httpCaching, so a hit answers with the headers kept with
  // the page (the security headers are the same for every response) and skips hashing, compressing
  // and copying headers; the rate-limited routes are cached after the limiter below, so a hit still
  // spends a token.
  const pages = pageCache(ctx.store, { maxBytes: ctx.config.pageCacheBytes });
  for (const path of ['/', '/digest/*', '/papers/*', '/authors/*', '/about', '/about/scores']) app.use(path, pages);
  app.use('*', securityHeaders());
  app.use('*', httpCaching());

  // Refusals in the format of the route: the JSON error shape for the API and admin, a page elsewhere.
  const refuse: Refuse = (c, status, message) =>
    c.req.path === '/mcp'
      ? rpcError(c, status, message)
      : c.req.path.startsWith('/api/') || c.req.path.startsWith('/admin')
        ? jsonError(c, status, message)
        : sendPage(c, <NoDigestPage message={message} />, status);
  app.use('*', requestBodyLimit(refuse));
  // Searches and the API are what a scraper hammers; one bucket per client covers all of them.
  const limiter = rateLimit(ctx.config.rateLimit, refuse);
  // Sign-in requests too: each sends a mail (the per-address limit is in readers/sign-in.tsx).
  for (const path of ['/search', '/api/v1/*', '/feeds/search.*', '/mcp', '/sign-in', '/sign-in/*']) app.use(path, limiter);
  for (const path of ['/search', '/api/v1/*', '/feeds/*']) app.use(path, pages);
  // Inside the page cache: a kept answer needs no turn, and requests waiting on one build hold none.
  const searchTurns = concurrencyLimit(ctx.config.searchLimit, refuse);
  for (const path of ['/search', '/api/v1/search', '/api/v1/search/citation', '/feeds/search.*']) app.use(path, searchTurns);

  app.get('/healthz', async (c) => {
    return c.json({ status: 'ok', papers: await ctx.store.papers.count() });
  });

  // Readiness: the database answers and its schema is the one this build expects (a rolling deploy
  // whose migrations have not run yet is not sent traffic).
  app.get('/readyz', async (c) => {
    try {
      const pending = await ctx.store.pendingMigrations();
      if (pending.length > 0) return c.json({ status: 'not ready', reason: `migrations pending: ${pending.join(', ')}` }, 503);
      return c.json({ status: 'ready' });
    } catch (error) {
      return c.json({ status: 'not ready', reason: `database unreachable: ${error instanceof Error ? error.message : String(error)}` }, 503);
    }
  });

  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics());
  });

  app.get('/assets/style.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  // Each reader's digest, its day's cards and features kept for every reader until the store changes.
  const digests = personalDigests(ctx);
  app.route('/api/v1', createApiV1(ctx, digests));
  // The MCP server (Streamable HTTP), under the API's rate limit; it checks the Origin itself.
  app.all('/mcp', mcpHttpHandler(ctx, { allowedOrigins: ctx.config.mcpOrigins, maxBodyBytes: MAX_BODY_BYTES, digests }));

  const renderDigest = async (c: Context, date: string | undefined) => {
    // Topic chips combine (?tag=a&tag=b: papers of any of them) with the has-code chip (&code=1).
    const slugs = c.req.queries('tag') ?? [];
    const tags: Tag[] = [];
    for (const slug of slugs) {
      const tag = tagFromSlug(slug);
      if (!tag) return sendPage(c, <NoDigestPage message={`"${slug}" is not a topic of papersift's taxonomy.`} />, 400);
      if (!tags.includes(tag)) tags.push(tag);
    }
    const code = c.req.query('code');
    if (code !== undefined && code !== '1') return sendPage(c, <NoDigestPage message="The code filter is code=1 (only papers with a code link)." />, 400);
    try {
      const digest = await getDigest(ctx.store, { date, historyDays: ctx.config.historyDays, updateFrequencyHours: frequency, categories: ctx.config.categories, calendar: ctx.arxiv.calendar });
      return sendPage(c, <DigestPage digest={digest} filter={{ tags, hasCode: code === '1' }} />);
    } catch (error) {
      if (!(error instanceof DigestNotFoundError)) throw error;
      return sendPage(c, <NoDigestPage message={error.message} />, 404);
    }
  };

  app.get('/', (c) => renderDigest(c, undefined));

  app.get('/digest/:date', (c) => {
    const date = isoDateParam.safeParse(c.req.param('date'));
    if (!date.success) {
      return sendPage(c, <NoDigestPage message="A digest address looks like /digest/2026-06-26." />, 400);
    }
    return renderDigest(c, date.data);
  });

  app.get('/digest/:date/all', async (c) => {
    const date = isoDateParam.safeParse(c.req.param('date'));
    const query = pageQuerySchema.safeParse(c.req.query());
    if (!date.success || !query.success) return sendPage(c, <NoDigestPage message="A day's address looks like /digest/2026-06-26/all (optionally ?page=2)." />, 400);
    try {
      const day = await getDayPapers(ctx.store, { date: date.data, historyDays: ctx.config.historyDays, categories: ctx.config.categories, page: query.data.page });
      return sendPage(c, <DayPapersPage day={day} latest={day.days[0] === day.date} />);
    } catch (error) {
      if (!(error instanceof DigestNotFoundError)) throw error;
      return sendPage(c, <NoDigestPage message={error.message} />, 404);
    }
  });

  app.get('/about', async (c) => {
    const facts = {
      categories: ctx.config.categories,
      digestSize: ctx.config.digestSize,
      historyDays: ctx.config.historyDays,
      updateFrequencyHours: frequency,
      schedule: ctx.config.schedule.text,
      engine: ctx.engine.descriptor,
      papers: await ctx.store.papers.count(),
    };
    return sendPage(c, <AboutPage facts={facts} />);
  });
  app.get('/about/scores', (c) => sendPage(c, <AboutScoresPage maxTagShare={ctx.config.maxTagShare} digestSize={ctx.config.digestSize} />));

  // The reader's page: the owner's in owner mode; in email mode the session's, else sign in first.
  app.get('/me', async (c) => {
    c.header('Cache-Control', 'private, no-store');
    const reader = await pageReader(c, ctx.store, ctx.config.auth);
    if (!reader) return c.redirect('/sign-in', 303);
    const date = c.req.query('date');
    if (date !== undefined && !isoDateParam.safeParse(date).success) return sendPage(c, <NoDigestPage message="A day of your digest looks like /me?date=2026-06-26." />, 400);
    const days = await ctx.store.digests.historyWindow(ctx.config.historyDays);
    let digest = null;
    try {
      digest = days.length === 0 ? null : await digests(reader.id, date);
    } catch (error) {
      if (!(error instanceof DigestNotFoundError)) throw error;
      return sendPage(c, <NoDigestPage message={error.message} />, 404);
    }
    const [library, follows] = await Promise.all([ctx.store.readers.library(reader.id), ctx.store.readers.follows(reader.id)]);
    return sendPage(c, <MePage reader={reader} digest={digest} days={days} library={library} follows={follows} signOut={ctx.config.auth === 'email' ? csrfToken(c, ctx.config.publicUrl) : null} />);
  });

  // The cards' Save and Not interested buttons (forms, no script): the reader's signal, then back to
  // the page the button was on.
  app.post('/me/feedback', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (!sameSiteRequest(c, ctx.config.publicUrl)) return sendPage(c, <NoDigestPage message="This form must be sent from a papersift page." />, 403);
    const reader = await pageReader(c, ctx.store, ctx.config.auth);
    if (!reader) return c.redirect('/sign-in', 303);
    const form = await c.req.parseBody();
    const paper = arxivIdParam.safeParse(form.paper);
    const signal = form.signal === 'save' || form.signal === 'not-interested' ? form.signal : null;
    if (!paper.success || !signal) return sendPage(c, <NoDigestPage message="The form names no paper or no signal." />, 400);
    if (!(await ctx.store.papers.exists(paper.data))) return sendPage(c, <NoDigestPage message="No such paper in papersift." />, 404);
    await recordFeedback(ctx, ctx.arxiv, reader.id, paper.data, signal);
    const referer = c.req.header('Referer');
    const back = referer && URL.canParse(referer) && new URL(referer).origin === new URL(c.req.url).origin ? new URL(referer).pathname + new URL(referer).search : '/';
    return c.redirect(back, 303);
  });

  app.route('/', createSignIn(ctx));
  app.get('/search', searchPageHandler(ctx));
  app.route('/admin', createAdmin(ctx));
  app.route('/feeds', createFeeds(ctx, digests));

  app.get('/papers/:id{.+}', async (c) => {
    const id = arxivIdParam.safeParse(c.req.param('id'));
    const [paper] = id.success ? await loadPaperDetails(ctx.store, [id.data]) : [];
    if (!paper) {
      return sendPage(c, <NoDigestPage message="No such paper in papersift." />, 404);
    }
    return sendPage(c, <PaperPage paper={paper} sameAuthors={await papersBySameAuthors(ctx.store, paper.id)} />);
  });

  app.get('/authors/:id', async (c) => {
    const id = authorIdParam.safeParse(c.req.param('id'));
    const query = authorQuerySchema.safeParse(c.req.query());
    if (!id.success || !query.success) return sendPage(c, <NoDigestPage message="An author address looks like /authors/42 (optionally ?page=2)." />, 400);
    const profile = await getAuthorProfile(ctx.store, id.data, { page: query.data.page });
    if (!profile) return sendPage(c, <NoDigestPage message="No such author in papersift." />, 404);
    return sendPage(c, <AuthorPage profile={profile} />);
  });

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return jsonError(c, 404, `no route ${c.req.path}`);
    return sendPage(c, <NoDigestPage message="There is no page at this address." />, 404);
  });

  app.onError((error, c) => {
    if (error instanceof SearchAbandonedError) return clientGone();
    // A refusal raised by a validator (a body that is not JSON): the client's error, said as such.
    if (error instanceof HTTPException && error.status === 400) {
      const message = error.message || 'the request is malformed';
      if (c.req.path.startsWith('/api/')) return jsonError(c, 400, message);
      return sendPage(c, <NoDigestPage message={message} />, 400);
    }
    ctx.logger.error('request failed', { path: c.req.path, error: error.message });
    if (c.req.path.startsWith('/api/')) return jsonError(c, 500, 'internal error');
    return sendPage(c, <NoDigestPage message="Something went wrong on our side." />, 500);
  });

  return app;
}
