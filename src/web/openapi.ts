import { RANKED_MATCHES } from '../digest/search.ts';
import { TAXONOMY, tagSlug } from '../domain/taxonomy.ts';
import { MAX_BODY_BYTES } from './limits.ts';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH } from './search/params.ts';

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Written by hand next to the
 * routes; a test checks that every route here answers and every route of the API is here.
 */
const error = { $ref: '#/components/responses/Error' };
// Every route of the API shares one token bucket per client (limits.ts): any of them may answer 429.
const rateLimited = { $ref: '#/components/responses/RateLimited' };
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const date = { type: 'string', format: 'date', example: '2026-06-26' };

const errorSchema = { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['status', 'message'], properties: { status: { type: 'integer' }, message: { type: 'string' } } } } };

const segments = { type: 'array', items: { type: 'object', required: ['text', 'match'], properties: { text: { type: 'string' }, match: { type: 'boolean' } } } };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'papersift API',
    version: '1',
    description: `Today's ML research, without the noise: the daily digest, paper details, researcher profiles and full-text search. Errors are \`{ error: { status, message } }\`. Every operation shares one rate limit per client: over it, 429 with Retry-After. A request body over ${MAX_BODY_BYTES} bytes is refused with 413 (components.responses.TooLarge); no operation takes one.`,
  },
  servers: [{ url: '/api/v1' }],
  paths: {
    '/digest': {
      get: {
        summary: "An announcement day's digest (the latest by default) with its figures and cards",
        parameters: [{ name: 'date', in: 'query', required: false, schema: date }],
        responses: { '200': json({ $ref: '#/components/schemas/Digest' }, 'The digest'), '400': error, '404': error, '429': rateLimited },
      },
    },
    '/papers/{id}': {
      get: {
        summary: 'One paper: its card plus abstract, comment, versions',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', example: '2606.14721' } }],
        responses: { '200': json({ $ref: '#/components/schemas/PaperDetail' }, 'The paper'), '400': error, '404': error, '429': rateLimited },
      },
    },
    '/authors/{id}': {
      get: {
        summary: 'A researcher profile: identity, figures each with scope, source and date, and the listed papers a page at a time',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, example: 1 } },
          { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
        ],
        responses: { '200': json({ $ref: '#/components/schemas/AuthorProfile' }, 'The profile'), '400': error, '404': error, '429': rateLimited },
      },
    },
    '/search': {
      get: {
        summary: 'Full-text search over title, abstract, authors and summaries, best matches first (bm25); matches marked in segments',
        parameters: [
          { name: 'q', in: 'query', required: false, description: 'Words (all must occur), "quoted phrases", a trailing * for a prefix. Required unless a filter is given.', schema: { type: 'string', maxLength: MAX_QUERY_LENGTH, example: 'diffusion' } },
          { name: 'from', in: 'query', required: false, schema: date },
          { name: 'to', in: 'query', required: false, schema: date },
          { name: 'tag', in: 'query', required: false, schema: { type: 'string', enum: TAXONOMY.map(tagSlug) } },
          { name: 'category', in: 'query', required: false, schema: { type: 'string', example: 'cs.LG' } },
          { name: 'code', in: 'query', required: false, description: '1: only papers with a code link; 0: only without', schema: { type: 'string', enum: ['1', '0', 'true', 'false'] } },
          { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1 } },
          { name: 'perPage', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE } },
        ],
        responses: { '200': json({ $ref: '#/components/schemas/SearchResults' }, 'One page of results'), '400': error, '429': rateLimited, '503': { $ref: '#/components/responses/Busy' } },
      },
    },
    '/openapi.json': {
      get: { summary: 'This document', responses: { '200': json({ type: 'object' }, 'The OpenAPI document'), '429': rateLimited } },
    },
  },
  components: {
    responses: {
      Error: json(errorSchema, 'An error'),
      Busy: {
        description: 'Too many searches running and waiting on the server (from all clients); nothing was done',
        headers: { 'Retry-After': { description: 'Whole seconds to wait before trying again', required: true, schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/json': { schema: errorSchema } },
      },
      RateLimited: {
        description: 'Too many requests from this client (a token bucket per client address over search and the whole API); nothing was done',
        headers: { 'Retry-After': { description: 'Whole seconds until one request is allowed again', required: true, schema: { type: 'integer', minimum: 1 } } },
        content: { 'application/json': { schema: errorSchema } },
      },
      // No operation here takes a body (the adapter does not read one on GET); a request that sends
      // more (any method, any path) is refused before routing.
      TooLarge: json(errorSchema, `A request body over ${MAX_BODY_BYTES} bytes, refused before it is read`),
    },
    schemas: {
      Card: {
        type: 'object',
        required: ['id', 'version', 'title', 'authors', 'primaryCategory', 'categories', 'published', 'updated', 'links', 'tags', 'highlights', 'sections', 'summarySource', 'why'],
        properties: {
          id: { type: 'string' },
          version: { type: 'integer' },
          title: { type: 'string' },
          authors: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer', description: 'profile id: /authors/{id}' }, name: { type: 'string' } } } },
          primaryCategory: { type: 'string' },
          categories: { type: 'array', items: { type: 'string' } },
          published: { type: 'string' },
          updated: { type: 'string' },
          links: { type: 'object', properties: { abs: { type: 'string' }, pdf: { type: 'string' }, code: { type: 'string' } } },
          tags: { type: 'array', items: { type: 'string', enum: [...TAXONOMY] } },
          highlights: { type: 'array', items: { type: 'string' } },
          sections: { type: 'object', properties: { summary: { type: 'string' }, methodology: { type: 'string' }, results: { type: 'string' }, implications: { type: 'string' } } },
          summarySource: { type: ['object', 'null'] },
          why: { type: ['string', 'null'] },
          scores: { type: ['object', 'null'], properties: { novelty: { type: 'number' }, aiScore: { type: 'number' } } },
        },
      },
      Figure: {
        type: 'object',
        required: ['value', 'scope', 'source', 'label'],
        properties: { value: { type: ['number', 'null'] }, scope: { type: 'string' }, source: { type: ['string', 'null'] }, asOf: { type: ['string', 'null'] }, label: { type: 'string' } },
      },
      AuthorProfile: {
        type: 'object',
        required: ['id', 'name', 'verified', 'primaryCategory', 'hIndex', 'papers', 'citations', 'novelty', 'aiScore', 'paperList'],
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          verified: { type: 'boolean' },
          primaryCategory: { type: ['string', 'null'] },
          hIndex: { $ref: '#/components/schemas/Figure' },
          papers: { $ref: '#/components/schemas/Figure' },
          citations: { $ref: '#/components/schemas/Figure' },
          novelty: { $ref: '#/components/schemas/Figure' },
          aiScore: { $ref: '#/components/schemas/Figure' },
          paperList: { type: 'object' },
        },
      },
      PaperDetail: {
        allOf: [
          { $ref: '#/components/schemas/Card' },
          { type: 'object', properties: { abstract: { type: 'string' }, comment: { type: ['string', 'null'] }, versions: { type: 'array', items: { type: 'object' } }, announcedOn: { type: ['string', 'null'] },
              sameAuthors: {
                type: 'array',
                description: 'The latest other papers sharing an author profile, newest first',
                items: { type: 'object', required: ['id', 'title', 'day', 'sharedAuthors'], properties: { id: { type: 'string' }, title: { type: 'string' }, day: date, sharedAuthors: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } } } },
              },
            },
          },
        ],
      },
      Digest: {
        type: 'object',
        required: ['date', 'isLatest', 'days', 'stats', 'announcement', 'papers'],
        properties: {
          date: date,
          isLatest: { type: 'boolean' },
          days: { type: 'array', items: date },
          stats: { type: 'object' },
          announcement: { type: 'object' },
          papers: { type: 'array', items: { $ref: '#/components/schemas/Card' } },
        },
      },
      SearchResults: {
        type: 'object',
        required: ['query', 'total', 'ranked', 'page', 'perPage', 'pages', 'hits'],
        properties: {
          query: { type: 'string' },
          total: { type: 'integer' },
          ranked: { type: 'integer', description: `How many of the matches were ranked and can be paged through: all, or the ${RANKED_MATCHES.toLocaleString('en-US')} most recently stored when there are more.` },
          page: { type: 'integer' },
          perPage: { type: 'integer' },
          pages: { type: 'integer' },
          hits: {
            type: 'array',
            items: {
              type: 'object',
              required: ['paper', 'announcedOn', 'match'],
              properties: {
                paper: { $ref: '#/components/schemas/Card' },
                announcedOn: { type: ['string', 'null'] },
                match: { type: 'object', properties: { title: segments, authors: segments, snippet: segments } },
              },
            },
          },
        },
      },
    },
  },
} as const;
