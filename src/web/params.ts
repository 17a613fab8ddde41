import { z } from 'zod';
import { parseArxivId } from '../arxiv/ids.ts';
import { CITATION_FORMATS } from './citations/formats.ts';

/**
 * Input validation at the HTTP boundary: every parameter is parsed here or rejected with a 400. The
 * API's OpenAPI document is generated from these schemas (their `meta` gives its examples).
 */
export const isoDateParam = z.iso.date({ message: 'expected a date as YYYY-MM-DD' }).meta({ example: '2026-06-26' });

/**
 * Hono's validator hands a repeated query key over as a list, while the pages read the first value
 * (c.req.query()): both see the first, so `?page=2&page=3` is page 2 everywhere.
 */
export function firstValues(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
}

/** Query parameters, first values only. A pipe from a transform rather than z.preprocess: the OpenAPI routes take a pipe. */
export const queryObject = <Shape extends z.ZodRawShape>(shape: Shape) => z.pipe(z.transform(firstValues), z.object(shape));

export const digestQuerySchema = queryObject({
  date: isoDateParam.optional(),
});

export const citationFormatParam = z
  .enum(CITATION_FORMATS, { message: `expected one of ${CITATION_FORMATS.join(', ')}` })
  .default('bibtex')
  .meta({ description: 'bibtex (BibTeX, @misc/@article with eprint), ris (RIS) or csl-json (CSL-JSON, the Citation Style Language data)' });

export const citationQuerySchema = queryObject({ format: citationFormatParam });

export const digestCitationQuerySchema = queryObject({ date: isoDateParam.optional(), format: citationFormatParam });

export const arxivIdParam = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const parsed = parseArxivId(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'expected an arXiv id such as 2606.14721 or hep-th/9901001' });
      return z.NEVER;
    }
    return parsed.id;
  })
  .meta({ description: 'An arXiv id, new style (2606.14721) or old (hep-th/9901001), optionally with a version (v2) or an arXiv: prefix', example: '2606.14721' });

/** The largest author id a store can hold: PostgreSQL's INTEGER (a larger one is a 400, not a 500 from the database). */
export const MAX_AUTHOR_ID = 2 ** 31 - 1;

export const authorIdParam = z.coerce
  .number({ message: 'expected an author id (a whole number)' })
  .int('expected an author id (a whole number)')
  .min(1)
  .max(MAX_AUTHOR_ID, 'no author has an id that large')
  .meta({ description: 'A researcher profile id, as on the cards (authors[].id)', example: 1 });

/** `?page=N` of a paged list (a profile's papers, a day's papers). */
export const pageQuerySchema = queryObject({
  page: z.coerce.number().int().min(1).max(100_000).optional().meta({ description: 'The page of the list (past the last one: the last)' }),
});

export const authorQuerySchema = pageQuerySchema;

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
