import { Hono, type Context } from 'hono';
import { getAuthorProfile } from '../../digest/author-profile.ts';
import { loadPaperDetails, toCard } from '../../digest/cards.ts';
import { DigestNotFoundError, getDigest } from '../../digest/digest-query.ts';
import { searchPapers, type SearchHit } from '../../digest/search.ts';
import type { AppContext } from '../../pipeline/context.ts';
import { updateFrequencyHours } from '../../pipeline/scheduler.ts';
import { announcementDay } from '../../domain/announcement-day.ts';
import { tagFromSlug, tagSlug } from '../../domain/taxonomy.ts';
import { authorIdParam, describeZodError } from '../params.ts';
import { requestSignal } from '../limits.ts';
import { MAX_PER_PAGE, searchQuerySchema, searchQueryString, toSearchParams } from '../search/params.ts';
import { buildFeed, type FeedEntry, type FeedSource } from './build-feed.tsx';
import { FEED_FORMATS, type FeedFormat } from './links.ts';
import { hashSecret, looksLikeSecret } from '../../domain/secrets.ts';
import type { PersonalDigests } from '../readers/personal-digest.ts';

/** A reader's own digest feed holds the day's best this many papers. */
const PERSONAL_FEED_SIZE = 50;

const FILE = new RegExp(`^([a-z0-9-]+)\\.(${FEED_FORMATS.join('|')})$`);

function parseFile(file: string): { name: string; format: FeedFormat } | null {
  const match = FILE.exec(file);
  return match ? { name: match[1]!, format: match[2] as FeedFormat } : null;
}

const fromHits = (hits: SearchHit[], withSnippet: boolean): FeedEntry[] =>
  hits.map((hit) => ({ card: hit.paper, day: announcementDay(hit.announcedOn, hit.paper.published), ...(withSnippet ? { snippet: hit.match.snippet } : {}) }));

async function send(c: Context, source: FeedSource, format: FeedFormat) {
  const { body, contentType } = await buildFeed(source, format, new URL(c.req.url).origin);
  return c.body(body, 200, { 'Content-Type': contentType });
}

/** RSS 2.0, Atom and JSON Feed of the digest, of each topic, of each author and of any search (mounted at /feeds). */
export function createFeeds(ctx: AppContext, digests: PersonalDigests): Hono {
  const feeds = new Hono();
  const frequency = updateFrequencyHours(ctx.config.schedule);

  feeds.get('/:file', async (c) => {
    const file = parseFile(c.req.param('file'));
    if (file?.name === 'digest') {
      try {
        const digest = await getDigest(ctx.store, { historyDays: ctx.config.historyDays, updateFrequencyHours: frequency, categories: ctx.config.categories, calendar: ctx.arxiv.calendar });
        const entries = digest.papers.map((card) => ({ card, day: digest.date }));
        return send(c, { title: 'papersift: the daily ML research digest', description: "Today's ML research, without the noise.", pagePath: '/', feedPath: '/feeds/digest', feedQuery: '', entries }, file.format);
      } catch (error) {
        if (!(error instanceof DigestNotFoundError)) throw error;
        return send(c, { title: 'papersift: the daily ML research digest', description: 'No digest yet.', pagePath: '/', feedPath: '/feeds/digest', feedQuery: '', entries: [] }, file.format);
      }
    }
    if (file?.name === 'search') {
      const query = searchQuerySchema.safeParse(c.req.query());
      if (!query.success) return c.text(describeZodError(query.error), 400);
      if (!query.data.q) return c.text('q: a search feed needs words to search', 400);
      const search = { ...query.data, page: 1 };
      const qs = searchQueryString(search);
      const results = await searchPapers(ctx.store, toSearchParams({ ...search, perPage: MAX_PER_PAGE }), { signal: requestSignal(c) });
      return send(c, { title: `papersift search: ${search.q}`, description: `Best matches for "${search.q}" among the stored papers.`, pagePath: `/search?${qs}`, feedPath: '/feeds/search', feedQuery: qs, entries: fromHits(results.hits, true) }, file.format);
    }
    return c.notFound();
  });

  // A reader's own digest, at an unguessable address (feed readers cannot sign in): the token is the
  // credential, revocable by asking for a new one (POST /api/v1/me/feeds). Never kept in shared caches.
  feeds.get('/me/:token/:file', async (c) => {
    const file = parseFile(c.req.param('file'));
    const token = c.req.param('token');
    const reader = file?.name === 'digest' && looksLikeSecret(token, 'feed') ? await ctx.store.readers.readerByToken(hashSecret(token), 'feed') : null;
    if (!file || !reader) return c.notFound();
    let entries: FeedEntry[] = [];
    try {
      const digest = await digests(reader.id);
      entries = digest.papers.slice(0, PERSONAL_FEED_SIZE).map(({ personal, ...card }) => ({ card, day: digest.date, snippet: [{ text: personal.why, match: false }] }));
    } catch (error) {
      if (!(error instanceof DigestNotFoundError)) throw error;
    }
    const response = await send(c, { title: 'papersift: your digest', description: `The day's papers ranked for ${reader.email}.`, pagePath: '/me', feedPath: `/feeds/me/${token}/digest`, feedQuery: '', entries }, file.format);
    response.headers.set('Cache-Control', 'private, no-store');
    return response;
  });

  feeds.get('/tags/:file', async (c) => {
    const file = parseFile(c.req.param('file'));
    const tag = file ? tagFromSlug(file.name) : undefined;
    if (!file || !tag) return c.notFound();
    const results = await searchPapers(ctx.store, { q: '', tag, page: 1, perPage: MAX_PER_PAGE });
    const slug = tagSlug(tag);
    return send(c, { title: `papersift: ${tag}`, description: `The newest stored papers on ${tag}.`, pagePath: `/search?tag=${slug}`, feedPath: `/feeds/tags/${slug}`, feedQuery: '', entries: fromHits(results.hits, false) }, file.format);
  });

  feeds.get('/authors/:file', async (c) => {
    const file = parseFile(c.req.param('file'));
    const parsed = file && /^[1-9]\d*$/.test(file.name) ? authorIdParam.safeParse(file.name) : null;
    const id = parsed?.success ? parsed.data : null;
    const profile = id === null ? null : await getAuthorProfile(ctx.store, id, { pageSize: MAX_PER_PAGE });
    if (!file || !profile) return c.notFound();
    // The profile lists the newest papers first; their cards carry the highlights.
    const listed = profile.paperList.papers;
    const cards = new Map((await loadPaperDetails(ctx.store, listed.map((p) => p.id))).map((detail) => [detail.id, toCard(detail)]));
    const entries = listed.flatMap((paper) => {
      const card = cards.get(paper.id);
      return card ? [{ card, day: paper.date }] : [];
    });
    return send(
      c,
      { title: `papersift: papers by ${profile.name}`, description: `The newest papers by ${profile.name} stored in papersift.`, pagePath: `/authors/${profile.id}`, feedPath: `/feeds/authors/${profile.id}`, feedQuery: '', entries },
      file.format,
    );
  });

  return feeds;
}
