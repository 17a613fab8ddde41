import { z } from 'zod';
import type { SearchParams } from '../../digest/search.ts';
import { TAXONOMY, tagFromSlug, tagSlug as tagSlugOf } from '../../domain/taxonomy.ts';
import { citationFormatParam, firstValues, isoDateParam } from '../params.ts';

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 50;

const flag = z.enum(['1', '0', 'true', 'false'], { message: 'expected 1 or 0' }).transform((v) => v === '1' || v === 'true');

const TAG_SLUGS = TAXONOMY.map(tagSlugOf) as [string, ...string[]];

/** The page's form sends every field, empty ones too: an empty field means "no filter". */
const withoutEmptyFields = (value: unknown) =>
  typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '')) : value;

const searchShape = {
  q: z
    .string()
    .trim()
    .max(MAX_QUERY_LENGTH, { message: `at most ${MAX_QUERY_LENGTH} characters` })
    .default('')
    .meta({ description: 'Words (all must occur), "quoted phrases", a trailing * for a prefix. The API needs it unless a filter is given.', example: 'diffusion' }),
  from: isoDateParam.optional(),
  to: isoDateParam.optional(),
  tag: z
    .enum(TAG_SLUGS, { message: 'not a topic of the taxonomy (see the tag slugs in the digest filter)' })
    .transform((slug) => tagFromSlug(slug)!)
    .optional()
    .meta({ description: 'A topic of the taxonomy, by its slug' }),
  category: z
    .string()
    .regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, { message: 'expected an arXiv category such as cs.LG' })
    .optional(),
  code: flag.optional().meta({ description: '1: only papers with a code link; 0: only papers without' }),
  page: z.coerce.number({ message: 'expected a page number' }).int().min(1).max(1000).default(1),
  perPage: z.coerce.number({ message: 'expected a number of results per page' }).int().min(1).max(MAX_PER_PAGE).default(DEFAULT_PER_PAGE),
};

const fromNotAfterTo: [(v: { from?: string; to?: string }) => boolean, { message: string; path: string[] }] = [(v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to', path: ['from'] }];
const cleaned = z.transform((query) => withoutEmptyFields(firstValues(query)));

/** The search parameters of the page, the API and the search feeds; one schema so they never disagree. */
export const searchQuerySchema = z.pipe(cleaned, z.object(searchShape).refine(...fromNotAfterTo));

/** The same with the citation export's format (the search's papers as BibTeX, RIS or CSL-JSON). */
export const searchCitationQuerySchema = z.pipe(cleaned, z.object({ ...searchShape, format: citationFormatParam }).refine(...fromNotAfterTo));

export type SearchQuery = z.output<typeof searchQuerySchema>;

/** Whether any filter is set (the API needs words or a filter; the page shows its form alone without). */
export const hasFilter = (q: SearchQuery) => q.from !== undefined || q.to !== undefined || q.tag !== undefined || q.category !== undefined || q.code !== undefined;

export function toSearchParams(query: SearchQuery): SearchParams {
  const { code, ...rest } = query;
  return { ...rest, hasCode: code };
}

/** The query string of a search, for links (pages, feeds); `page` only when it is not the first. */
export function searchQueryString(query: SearchQuery, overrides: { page?: number } = {}): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.tag) params.set('tag', tagSlugOf(query.tag));
  if (query.category) params.set('category', query.category);
  if (query.code !== undefined) params.set('code', query.code ? '1' : '0');
  if (query.perPage !== DEFAULT_PER_PAGE) params.set('perPage', String(query.perPage));
  const page = overrides.page ?? query.page;
  if (page > 1) params.set('page', String(page));
  return params.toString();
}
