import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseArxivId } from '../arxiv/ids.ts';
import type { AppContext } from '../pipeline/context.ts';
import { addArxivPapers, ArxivUnavailableError, arxivIdsOf, NotArxivIdsError, recordFeedback } from '../pipeline/library.ts';
import { DigestNotFoundError } from '../digest/digest-query.ts';
import type { PersonalDigests } from './readers/personal-digest.ts';
import { citationAnswer } from './citations/answer.ts';
import { libraryCitationRoute } from './openapi.ts';
import { loadPaperDetails } from '../digest/cards.ts';
import { followsChangeRoute, followsRoute, feedbackRoute, libraryChangeRoute, libraryRoute, meRoute, personalDigestRoute, personalFeedsRoute } from './openapi-me.ts';
import { hashSecret, newSecret } from '../domain/secrets.ts';
import { describeZodError } from './params.ts';
import { requireReader, type ReaderVariables } from './readers/auth.ts';
import { jsonError } from './responses.ts';

type Documented200 = { responses: { 200: { content: { 'application/json': { schema: z.ZodType } } } } };
const ok = <Route extends Documented200>(c: Context, _route: Route, body: z.output<Route['responses'][200]['content']['application/json']['schema']>) => c.json(body, 200);

/**
 * The reader's own routes of /api/v1 (openapi-me.ts). Every handler reads the reader from the
 * credentials (requireReader) and passes that id to the store, never one from the request: what a
 * reader can name in a request is papers, never another reader.
 */
export function createReaderApi(ctx: AppContext, digests: PersonalDigests): OpenAPIHono<{ Variables: ReaderVariables }> {
  const api = new OpenAPIHono<{ Variables: ReaderVariables }>({
    defaultHook: (result, c) => {
      if (!result.success) return jsonError(c, 400, describeZodError(result.error));
    },
  });
  const auth = requireReader(ctx.store, ctx.config.auth);
  api.use('/me', auth);
  api.use('/me/*', auth);

  api.openapi(meRoute, (c) => {
    const reader = c.get('reader');
    return ok(c, meRoute, { id: reader.id, email: reader.email });
  });

  api.openapi(libraryRoute, async (c) => {
    const reader = c.get('reader');
    const items = await ctx.store.readers.library(reader.id);
    return ok(c, libraryRoute, {
      reader: { id: reader.id, email: reader.email },
      items: items.map((item) => ({ id: item.itemId, paperId: item.paperId, title: item.title, abstract: item.abstract, year: item.year, addedAt: item.addedAt, source: item.source })),
    });
  });

  api.openapi(libraryChangeRoute, async (c) => {
    const reader = c.get('reader');
    const body = c.req.valid('json');
    try {
      // Both lists are checked before anything changes: a bad id in either refuses the whole request.
      const remove = body.remove ? arxivIdsOf(body.remove) : [];
      const result = body.add ? await addArxivPapers(ctx, ctx.arxiv, reader.id, body.add) : { added: [], already: [], unknown: [] };
      const present = new Set((await ctx.store.readers.library(reader.id)).map((item) => item.itemId));
      const removed = remove.filter((id) => present.has(id));
      await ctx.store.readers.removeFromLibrary(reader.id, removed);
      return ok(c, libraryChangeRoute, { ...result, removed });
    } catch (error) {
      if (error instanceof NotArxivIdsError) return jsonError(c, 400, error.message);
      if (error instanceof ArxivUnavailableError) return jsonError(c, 503, error.message);
      throw error;
    }
  });

  api.openapi(feedbackRoute, async (c) => {
    const reader = c.get('reader');
    const { paperId, signal } = c.req.valid('json');
    const id = parseArxivId(paperId)?.id;
    if (!id) return jsonError(c, 400, 'paperId: expected an arXiv id such as 2606.14721');
    if (!(await ctx.store.papers.exists(id))) return jsonError(c, 404, `no paper ${id} in this papersift`);
    const at = new Date();
    await recordFeedback(ctx, ctx.arxiv, reader.id, id, signal, at);
    return ok(c, feedbackRoute, { paperId: id, signal, at: at.toISOString() });
  });

  api.openapi(personalDigestRoute, async (c) => {
    try {
      return ok(c, personalDigestRoute, await digests(c.get('reader').id, c.req.valid('query').date));
    } catch (error) {
      if (error instanceof DigestNotFoundError) return jsonError(c, 404, error.message);
      throw error;
    }
  });

  const followsOf = async (readerId: string) => ({ follows: await ctx.store.readers.follows(readerId) });
  api.openapi(followsRoute, async (c) => ok(c, followsRoute, await followsOf(c.get('reader').id)));
  api.openapi(followsChangeRoute, async (c) => {
    const reader = c.get('reader');
    const { add = [], remove = [] } = c.req.valid('json');
    for (const follow of add) {
      if (follow.kind === 'author' && !(await ctx.store.profiles.author(Number(follow.value)))) return jsonError(c, 404, `no author ${follow.value} in this papersift`);
    }
    await ctx.store.readers.unfollow(reader.id, remove);
    await ctx.store.readers.follow(reader.id, add);
    return ok(c, followsChangeRoute, await followsOf(reader.id));
  });

  api.openapi(libraryCitationRoute, async (c) => {
    const reader = c.get('reader');
    const ids = (await ctx.store.readers.library(reader.id)).flatMap((item) => (item.paperId ? [item.paperId] : []));
    const details = new Map((await loadPaperDetails(ctx.store, ids)).map((paper) => [paper.id, paper]));
    return citationAnswer(c, ids.flatMap((id) => details.get(id) ?? []), c.req.valid('query').format, 'papersift-library');
  });

  api.openapi(personalFeedsRoute, async (c) => {
    const reader = c.get('reader');
    await ctx.store.readers.revokeTokens(reader.id, ['feed']);
    const token = newSecret('feed');
    await ctx.store.readers.storeToken(reader.id, 'feed', hashSecret(token));
    const base = `${new URL(c.req.url).origin}/feeds/me/${token}/digest`;
    return ok(c, personalFeedsRoute, { rss: `${base}.rss`, atom: `${base}.atom`, json: `${base}.json` });
  });

  return api;
}

