/**
 * The reader's own operations of /api/v1 (issue 18), described like openapi.ts's: the schemas that
 * validate each request and describe each answer. Every one needs the reader: a Bearer API token, a
 * session, or (owner mode) nothing; answers are `private, no-store`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { cardShape } from './api-schemas.ts';
import { error, json, rateLimited } from './openapi-parts.ts';
import { digestQuerySchema, MAX_AUTHOR_ID } from './params.ts';
import { TAXONOMY } from '../domain/taxonomy.ts';

const privateAnswer = z.object({ 'Cache-Control': z.string().meta({ example: 'private, no-store' }) });
const ok = <Schema extends z.ZodType>(schema: Schema, description: string) => ({ description, headers: privateAnswer, content: json(schema) });

/** The id list of one library request: enough for a reading list, small enough for one request body. */
export const MAX_LIBRARY_CHANGE = 500;

const everyReaderOperation = {
  401: error('No reader: no credentials in email mode, or a wrong or revoked token'),
  413: error('A request body over the limit, refused before it is read'),
  429: rateLimited,
  500: error('Something failed on the server'),
} as const;

/** A request body with the example the document shows (and the API tests send). */
const body = <Schema extends z.ZodType>(schema: Schema, example: z.input<Schema>) => ({ required: true, content: { 'application/json': { schema, example } } });

export const readerSchema = z.strictObject({ id: z.string(), email: z.string() }).openapi('Reader');

export const libraryItemSchema = z
  .strictObject({
    id: z.string().meta({ description: 'The arXiv id, or the import\'s own key for a reference that is not on arXiv' }),
    paperId: z.string().nullable().meta({ description: 'The arXiv id when the item is an arXiv paper' }),
    title: z.string(),
    abstract: z.string().nullable(),
    year: z.number().int().nullable(),
    addedAt: z.string().meta({ description: 'ISO 8601: when it entered the library (recent additions weigh more in the ranking)' }),
    source: z.string().meta({ description: 'arxiv (added by id), save (a card\'s save), or the import format' }),
  })
  .openapi('LibraryItem');

export const librarySchema = z.strictObject({ reader: readerSchema, items: z.array(libraryItemSchema) }).openapi('Library');

const refList = z
  .array(z.string().min(1).max(200))
  .max(MAX_LIBRARY_CHANGE)
  .meta({ description: `arXiv ids or arXiv URLs, at most ${MAX_LIBRARY_CHANGE}`, example: ['2606.26650', 'https://arxiv.org/abs/2606.14721v2'] });

export const libraryChangeSchema = z
  .strictObject({ add: refList.optional(), remove: refList.optional() })
  .refine((body) => (body.add?.length ?? 0) + (body.remove?.length ?? 0) > 0, { message: 'give ids to add or to remove' });

export const libraryChangeResultSchema = z
  .strictObject({
    added: z.array(z.string()).meta({ description: 'New in the library' }),
    already: z.array(z.string()).meta({ description: 'Were in it already' }),
    unknown: z.array(z.string()).meta({ description: 'arXiv does not know them: nothing added' }),
    removed: z.array(z.string()).meta({ description: 'Taken out of the library' }),
  })
  .openapi('LibraryChange');

export const feedbackSchema = z
  .strictObject({
    paperId: z.string().min(1).max(200).meta({ example: '2606.26650' }),
    signal: z.enum(['save', 'not-interested']).meta({ description: 'save: into the library, a positive for the ranking; not-interested: a negative' }),
  })
  .openapi('FeedbackRequest');

export const feedbackResultSchema = z
  .strictObject({ paperId: z.string(), signal: z.enum(['save', 'not-interested']), at: z.string() })
  .openapi('Feedback');

// A token, or (owner mode) nothing.
export const personalDigestSchema = z
  .strictObject({
    date: z.iso.date(),
    papers: z
      .array(
        z.strictObject({
          ...cardShape,
          personal: z.strictObject({
            score: z.number().meta({ description: "Higher is better; comparable within one reader's ranking of one day" }),
            why: z.string().meta({ description: 'The reasons, strongest first: "similar to <paper in your library>", "by <followed author>", "matches \'diffusion\'"' }),
          }),
        }),
      )
      .meta({ description: "Every paper of the day that passes the reader's rules, best first" }),
  })
  .openapi('PersonalDigest');

export const followSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('author'), value: z.string().regex(/^[1-9]\d{0,9}$/, 'an author id (a whole number), as in a card\'s authors[].id').refine((v) => Number(v) <= MAX_AUTHOR_ID, 'no author has an id that large') }),
    z.strictObject({ kind: z.literal('topic'), value: z.enum(TAXONOMY) }),
    z.strictObject({ kind: z.literal('category'), value: z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'an arXiv category such as cs.LG') }),
    z.strictObject({ kind: z.enum(['include', 'exclude']), value: z.string().trim().min(1).max(100).meta({ description: 'A word or phrase, matched as whole words, case-insensitively' }) }),
  ])
  .openapi('Follow');

const followList = z.array(followSchema).max(100);

export const followsChangeSchema = z
  .strictObject({ add: followList.optional(), remove: followList.optional() })
  .refine((body) => (body.add?.length ?? 0) + (body.remove?.length ?? 0) > 0, { message: 'give follows to add or to remove' });

export const followsSchema = z
  .strictObject({ follows: z.array(z.strictObject({ kind: z.enum(['author', 'topic', 'category', 'include', 'exclude']), value: z.string(), name: z.string().optional().meta({ description: "A followed author's name" }) })) })
  .openapi('Follows');

const bearer: Array<Record<string, string[]>> = [{ readerToken: [] }, {}];

export const meRoute = createRoute({
  method: 'get',
  path: '/me',
  summary: 'Who the credentials name',
  security: bearer,
  responses: { 200: ok(readerSchema, 'The reader'), ...everyReaderOperation },
});

export const libraryRoute = createRoute({
  method: 'get',
  path: '/me/library',
  summary: "The reader's library, most recently added first",
  security: bearer,
  responses: { 200: ok(librarySchema, 'The library'), ...everyReaderOperation },
});

export const libraryChangeRoute = createRoute({
  method: 'post',
  path: '/me/library',
  summary: 'Adds papers to the library (by arXiv id or URL; papers not stored yet are fetched from arXiv) and removes others',
  security: bearer,
  request: { body: body(libraryChangeSchema, { add: ['2606.26650', 'https://arxiv.org/abs/2606.14721v2'] }) },
  responses: {
    200: ok(libraryChangeResultSchema, 'What changed'),
    400: error('The body is not JSON of this shape, or names something that is not an arXiv id'),
    503: error('arXiv did not answer for papers not stored yet; nothing was changed'),
    ...everyReaderOperation,
  },
});

export const feedbackRoute = createRoute({
  method: 'post',
  path: '/me/feedback',
  summary: 'Tells the ranking about a paper: save (also adds it to the library) or not interested; the latest signal counts',
  security: bearer,
  request: { body: body(feedbackSchema, { paperId: '2606.26650', signal: 'save' }) },
  responses: {
    200: ok(feedbackResultSchema, 'The signal as stored'),
    400: error('The body is not JSON of this shape, or the paper id is not an arXiv id'),
    404: error('No such paper in this papersift'),
    ...everyReaderOperation,
  },
});

export const personalDigestRoute = createRoute({
  method: 'get',
  path: '/me/digest',
  summary: "The reader's own ranking of an announcement day's papers (the latest by default), with a reason for each",
  security: bearer,
  request: { query: digestQuerySchema },
  responses: {
    200: ok(personalDigestSchema, "The day's papers for this reader"),
    400: error('The date is not a date as YYYY-MM-DD'),
    404: error('No such announcement day in the browsable history'),
    ...everyReaderOperation,
  },
});

export const personalFeedsSchema = z
  .strictObject({ rss: z.url(), atom: z.url(), json: z.url() })
  .meta({ description: "The reader's digest as feeds, at an address only this answer shows; a new request replaces the address (the old one answers 404)" })
  .openapi('PersonalFeeds');

export const personalFeedsRoute = createRoute({
  method: 'post',
  path: '/me/feeds',
  summary: "A new secret address for the reader's digest as RSS, Atom and JSON Feed (feed readers cannot sign in); the previous address stops working",
  security: bearer,
  responses: { 200: ok(personalFeedsSchema, 'The feed addresses'), ...everyReaderOperation },
});

export const followsRoute = createRoute({
  method: 'get',
  path: '/me/follows',
  summary: 'What the reader follows (authors, topics, categories) and their keyword rules (include lifts a paper, exclude hides it)',
  security: bearer,
  responses: { 200: ok(followsSchema, 'The follows and rules'), ...everyReaderOperation },
});

export const followsChangeRoute = createRoute({
  method: 'post',
  path: '/me/follows',
  summary: 'Follows or unfollows authors, topics and categories, and adds or removes keyword rules; answers the whole list',
  security: bearer,
  request: { body: body(followsChangeSchema, { add: [{ kind: 'include', value: 'diffusion' }, { kind: 'topic', value: TAXONOMY[0] }] }) },
  responses: {
    200: ok(followsSchema, 'The follows and rules now'),
    400: error('The body is not JSON of this shape'),
    404: error('No such author in this papersift'),
    ...everyReaderOperation,
  },
});

export const READER_ROUTES = [followsRoute, followsChangeRoute, personalFeedsRoute, meRoute, libraryRoute, libraryChangeRoute, feedbackRoute, personalDigestRoute];
