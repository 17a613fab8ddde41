import { z } from 'zod';
import { parseArxivId } from '../arxiv/ids.ts';

/** Input validation at the HTTP boundary: every parameter is parsed here or rejected with a 400. */
export const isoDateParam = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });

export const digestQuerySchema = z.object({
  date: isoDateParam.optional(),
});

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
  });

/** The largest author id a store can hold: PostgreSQL's INTEGER (a larger one is a 400, not a 500 from the database). */
export const MAX_AUTHOR_ID = 2 ** 31 - 1;

export const authorIdParam = z.coerce.number({ message: 'expected an author id (a whole number)' }).int('expected an author id (a whole number)').min(1).max(MAX_AUTHOR_ID, 'no author has an id that large');

/** `?page=N` of a paged list (a profile's papers, a day's papers). */
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

export const authorQuerySchema = pageQuerySchema;

export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
