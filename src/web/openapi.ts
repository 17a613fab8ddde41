/**
 * The routes of /api/v1 as OpenAPI operations: the zod schemas that validate each request's parameters
 * (params.ts, search/params.ts) and describe its answers (api-schemas.ts), and every status it can
 * answer. api-v1.ts serves these routes, and the OpenAPI 3.1 document at /api/v1/openapi.json is
 * generated from them, so the description cannot drift from what is validated and sent.
 */
import { OpenAPIHono, createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import { authorProfileSchema, cslListSchema, digestSchema, errorSchema, openApiDocumentSchema, paperResponseSchema, searchResultsSchema } from './api-schemas.ts';
import { CITATION_MEDIA_TYPES } from './citations/formats.ts';
import { CACHE_CONTROL } from './caching.ts';
import { MAX_BODY_BYTES } from './limits.ts';
import { READER_ROUTES } from './openapi-me.ts';
import { error, json, rateLimited, retryAfter } from './openapi-parts.ts';
import { arxivIdParam, authorIdParam, authorQuerySchema, citationQuerySchema, digestCitationQuerySchema, digestQuerySchema } from './params.ts';
import { searchCitationQuerySchema, searchQuerySchema } from './search/params.ts';

const validators = z.object({
  ETag: z.string().meta({ description: 'Strong for the identity body, weak and naming its coding for a compressed one (W/"<sha1>-br")' }),
  'Cache-Control': z.string().meta({ example: CACHE_CONTROL }),
});

const ok = <Schema extends z.ZodType>(schema: Schema, description: string) => ({ description, headers: validators, content: json(schema) });

// The answers every operation may give, whatever its parameters (middleware of app.tsx and caching.ts).
const everyOperation = {
  304: { description: 'Not Modified: If-None-Match named the current representation', headers: validators },
  413: error(`A request body over ${MAX_BODY_BYTES} bytes, refused before it is read (no operation takes one)`),
  429: rateLimited,
  500: error('Something failed on the server'),
} as const;

export const digestRoute = createRoute({
  method: 'get',
  path: '/digest',
  summary: "An announcement day's digest (the latest by default) with its figures and cards",
  request: { query: digestQuerySchema },
  responses: {
    200: ok(digestSchema, 'The digest'),
    400: error('The date is not a date as YYYY-MM-DD'),
    404: error('No digest for that day (not an announcement day, or outside the browsable history)'),
    ...everyOperation,
  },
});

export const paperRoute = createRoute({
  method: 'get',
  path: '/papers/{id}',
  summary: 'One paper: its card plus abstract, comment, versions, what its scores were computed from, and other papers of its authors',
  request: { params: z.object({ id: arxivIdParam }) },
  responses: {
    200: ok(paperResponseSchema, 'The paper'),
    400: error('Not an arXiv id'),
    404: error('No such paper in this papersift'),
    ...everyOperation,
  },
});

export const authorRoute = createRoute({
  method: 'get',
  path: '/authors/{id}',
  summary: 'A researcher profile: identity, figures each with scope, source and date, and the listed papers a page at a time',
  request: { params: z.object({ id: authorIdParam }), query: authorQuerySchema },
  responses: {
    200: ok(authorProfileSchema, 'The profile'),
    400: error('The id or the page is not a whole number in range'),
    404: error('No such author in this papersift'),
    ...everyOperation,
  },
});

export const searchRoute = createRoute({
  method: 'get',
  path: '/search',
  summary: 'Full-text search over title, abstract, authors and summaries, best matches first; matches marked in text runs',
  request: { query: searchQuerySchema },
  responses: {
    200: ok(searchResultsSchema, 'One page of results'),
    400: error('A parameter is out of range, or neither q nor a filter is given'),
    503: {
      description: 'Too many searches running and waiting on the server (from all clients); nothing was done',
      headers: retryAfter('Whole seconds to wait before trying again'),
      content: json(errorSchema),
    },
    ...everyOperation,
  },
});

export const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  summary: 'This document',
  responses: {
    200: ok(openApiDocumentSchema, 'The OpenAPI 3.1 document'),
    ...everyOperation,
  },
});

/** A citation export: the body is the document in the format asked for (its media type says which). */
const citations = (description: string) => ({
  description,
  headers: validators.extend({ 'Content-Disposition': z.string().meta({ description: 'attachment, with a file name ending in .bib, .ris or .json' }) }),
  content: {
    [CITATION_MEDIA_TYPES.bibtex]: { schema: z.string().meta({ description: 'BibTeX: @misc (or @article with a journal reference) with eprint, archivePrefix = {arXiv}, primaryClass, doi when known; values TeX-escaped; UTF-8' }) },
    [CITATION_MEDIA_TYPES.ris]: { schema: z.string().meta({ description: 'RIS, CR LF line ends, one record per paper' }) },
    [CITATION_MEDIA_TYPES['csl-json']]: { schema: cslListSchema },
  },
});

export const paperCitationRoute = createRoute({
  method: 'get',
  path: '/papers/{id}/citation',
  summary: 'How to cite one paper, as BibTeX, RIS or CSL-JSON (?format=, BibTeX by default)',
  request: { params: z.object({ id: arxivIdParam }), query: citationQuerySchema },
  responses: {
    200: citations('The citation'),
    400: error('Not an arXiv id, or not a format'),
    404: error('No such paper in this papersift'),
    ...everyOperation,
  },
});

export const digestCitationRoute = createRoute({
  method: 'get',
  path: '/digest/citation',
  summary: "Every paper of an announcement day's digest (the latest by default), as BibTeX, RIS or CSL-JSON, in digest order",
  request: { query: digestCitationQuerySchema },
  responses: {
    200: citations('The citations'),
    400: error('The date is not a date as YYYY-MM-DD, or not a format'),
    404: error('No digest for that day (not an announcement day, or outside the browsable history)'),
    ...everyOperation,
  },
});

export const searchCitationRoute = createRoute({
  method: 'get',
  path: '/search/citation',
  summary: 'The papers of one page of search results (the parameters of /search), as BibTeX, RIS or CSL-JSON, best matches first',
  request: { query: searchCitationQuerySchema },
  responses: {
    200: citations('The citations'),
    400: searchRoute.responses[400],
    503: searchRoute.responses[503],
    ...everyOperation,
  },
});

export const libraryCitationRoute = createRoute({
  method: 'get',
  path: '/me/library/citation',
  summary: "The arXiv papers of the reader's library, as BibTeX, RIS or CSL-JSON, most recently added first",
  security: [{ readerToken: [] }, {}] as Array<Record<string, string[]>>,
  request: { query: citationQuerySchema },
  responses: {
    200: { ...citations('The citations'), headers: z.object({ 'Content-Disposition': z.string(), 'Cache-Control': z.string().meta({ example: 'private, no-store' }) }) },
    400: error('Not a format'),
    401: error('No reader: no credentials in email mode, or a wrong or revoked token'),
    ...everyOperation,
  },
});

const ROUTES: RouteConfig[] = [libraryCitationRoute, digestRoute, digestCitationRoute, paperRoute, paperCitationRoute, authorRoute, searchRoute, searchCitationRoute, openApiRoute, ...READER_ROUTES];

let document: ReturnType<OpenAPIHono['getOpenAPI31Document']> | undefined;

/** The OpenAPI 3.1 document of /api/v1, generated once from the routes above. */
export function openApiDocument() {
  if (!document) {
    // Only its registry is used: api-v1.ts serves the routes.
    const described = new OpenAPIHono();
    for (const route of ROUTES) described.openAPIRegistry.registerPath(route);
    described.openAPIRegistry.registerComponent('securitySchemes', 'readerToken', {
      type: 'http',
      scheme: 'bearer',
      description: "A reader's API token (`papersift readers add EMAIL` prints one; `papersift readers revoke` ends it)",
    });
    document = described.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'papersift API',
        version: '1',
        description:
          "Today's ML research, without the noise: the daily digest, paper details, researcher profiles and full-text search. " +
          'Errors are `{ error: { status, message } }`. Successful answers carry an ETag and answer 304 to a matching If-None-Match. ' +
          `Every operation shares one rate limit per client: over it, 429 with Retry-After. A request body over ${MAX_BODY_BYTES} bytes is refused with 413.`,
      },
      servers: [{ url: '/api/v1' }],
    });
  }
  return document;
}
