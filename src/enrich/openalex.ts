/**
 * The edge to the OpenAlex API: works by arXiv DOI (10.48550/arXiv.<id>) with their authorships and
 * institutions, and authors with summary_stats.h_index, works_count, cited_by_count and ORCID.
 * Lookups are OR-filters of up to 50 values per request (docs.openalex.org, "filter works"), validated
 * with zod here.
 */
import { z } from 'zod';
import { parseJsonWithoutForbiddenCharacters } from '../domain/forbidden-characters.ts';
import type { PoliteClient } from '../http/polite-client.ts';
import { EnrichmentFormatError } from './errors.ts';

export const OPENALEX_FILTER_MAX = 50;
const SERVICE = 'OpenAlex';

/** "https://openalex.org/A5023888391" → "A5023888391". */
export function openAlexShortId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** "https://orcid.org/0000-0001-6187-6610" → "0000-0001-6187-6610". */
export function bareOrcid(orcid: string | null | undefined): string | null {
  if (!orcid) return null;
  const match = /(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/i.exec(orcid);
  return match ? match[1]!.toUpperCase() : null;
}

export function arxivDoi(arxivId: string): string {
  return `10.48550/arxiv.${arxivId}`.toLowerCase();
}

const institution = z.object({ display_name: z.string().nullable().optional(), ror: z.string().nullable().optional() });

const workSchema = z.object({
  id: z.string().regex(/(^|\/)W\d+$/, 'not an OpenAlex work id'),
  doi: z.string().nullable().optional(),
  cited_by_count: z.number().int().min(0).nullable().optional().transform((v) => v ?? null),
  authorships: z
    .array(
      z.object({
        author: z.object({ id: z.string().nullable().optional(), display_name: z.string().nullable().optional(), orcid: z.string().nullable().optional() }),
        raw_author_name: z.string().nullable().optional(),
        institutions: z.array(institution).nullable().optional(),
      }),
    )
    .nullable()
    .optional()
    .transform((list) => list ?? []),
});

const authorSchema = z.object({
  id: z.string().regex(/(^|\/)A\d+$/, 'not an OpenAlex author id'),
  display_name: z.string().nullable().optional(),
  orcid: z.string().nullable().optional(),
  works_count: z.number().int().min(0).nullable().optional(),
  cited_by_count: z.number().int().min(0).nullable().optional(),
  summary_stats: z.object({ h_index: z.number().int().min(0).nullable().optional() }).nullable().optional(),
  last_known_institutions: z.array(institution).nullable().optional(),
});

const listOf = <T extends z.ZodType>(item: T) => z.object({ results: z.array(item) });

export interface OpenAlexAuthorship {
  authorId: string | null;
  name: string;
  orcid: string | null;
  institutions: Array<{ name: string; ror: string | null }>;
}

export interface OpenAlexWork {
  id: string;
  citedByCount: number | null;
  authorships: OpenAlexAuthorship[];
}

export interface OpenAlexAuthor {
  id: string;
  name: string | null;
  orcid: string | null;
  hIndex: number | null;
  worksCount: number | null;
  citedByCount: number | null;
  institutions: string[];
}

export interface OpenAlexClient {
  /** arXiv id → its OpenAlex work, or null when OpenAlex has none. */
  lookupWorks(arxivIds: string[]): Promise<Map<string, OpenAlexWork | null>>;
  /** Short ids ("A50…") → author, or null when unknown. */
  lookupAuthors(ids: string[]): Promise<Map<string, OpenAlexAuthor | null>>;
}

function institutionsOf(list: Array<z.infer<typeof institution>> | null | undefined): Array<{ name: string; ror: string | null }> {
  return (list ?? []).flatMap((i) => (i.display_name ? [{ name: i.display_name, ror: i.ror ?? null }] : []));
}

export function toOpenAlexWork(raw: z.infer<typeof workSchema>): OpenAlexWork {
  return {
    id: openAlexShortId(raw.id),
    citedByCount: raw.cited_by_count,
    authorships: raw.authorships.map((a) => ({
      authorId: a.author.id ? openAlexShortId(a.author.id) : null,
      name: a.author.display_name ?? a.raw_author_name ?? '',
      orcid: bareOrcid(a.author.orcid),
      institutions: institutionsOf(a.institutions),
    })),
  };
}

export function toOpenAlexAuthor(raw: z.infer<typeof authorSchema>): OpenAlexAuthor {
  return {
    id: openAlexShortId(raw.id),
    name: raw.display_name ?? null,
    orcid: bareOrcid(raw.orcid),
    hIndex: raw.summary_stats?.h_index ?? null,
    worksCount: raw.works_count ?? null,
    citedByCount: raw.cited_by_count ?? null,
    institutions: institutionsOf(raw.last_known_institutions).map((i) => i.name),
  };
}

/** Validates one single-entity answer (as /works/<id> or /authors/<id> give it). */
export function parseOpenAlexEntity(kind: 'work', json: unknown): OpenAlexWork;
export function parseOpenAlexEntity(kind: 'author', json: unknown): OpenAlexAuthor;
export function parseOpenAlexEntity(kind: 'work' | 'author', json: unknown): OpenAlexWork | OpenAlexAuthor {
  const result = (kind === 'work' ? workSchema : authorSchema).safeParse(json);
  if (!result.success) throw new EnrichmentFormatError(SERVICE, `${kind}: ${result.error.issues[0]?.path.join('.')} ${result.error.issues[0]?.message}`);
  return kind === 'work' ? toOpenAlexWork(result.data as z.infer<typeof workSchema>) : toOpenAlexAuthor(result.data as z.infer<typeof authorSchema>);
}

export function createOpenAlexClient(http: PoliteClient, options: { apiUrl: string; apiKey: string | null; mailto: string | null }): OpenAlexClient {
  const credentials = [options.apiKey ? `api_key=${encodeURIComponent(options.apiKey)}` : '', options.mailto ? `mailto=${encodeURIComponent(options.mailto)}` : '']
    .filter(Boolean)
    .map((p) => `&${p}`)
    .join('');

  async function list<T extends z.ZodType>(path: string, filter: string, select: string, schema: T): Promise<Array<z.infer<T>>> {
    const url = `${options.apiUrl}/${path}?filter=${encodeURIComponent(filter)}&per-page=${OPENALEX_FILTER_MAX}&select=${select}${credentials}`;
    const response = await http.get(url, { headers: { Accept: 'application/json' } });
    let json: unknown;
    try {
      json = parseJsonWithoutForbiddenCharacters(response.body ?? '');
    } catch {
      throw new EnrichmentFormatError(SERVICE, `${path} is not JSON`);
    }
    const parsed = listOf(schema).safeParse(json);
    if (!parsed.success) throw new EnrichmentFormatError(SERVICE, `${path}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data.results;
  }

  return {
    async lookupWorks(arxivIds) {
      const out = new Map<string, OpenAlexWork | null>(arxivIds.map((id) => [id, null]));
      for (let i = 0; i < arxivIds.length; i += OPENALEX_FILTER_MAX) {
        const part = arxivIds.slice(i, i + OPENALEX_FILTER_MAX);
        const byDoi = new Map(part.map((id) => [arxivDoi(id), id]));
        const works = await list('works', `doi:${[...byDoi.keys()].join('|')}`, 'id,doi,cited_by_count,authorships', workSchema);
        for (const raw of works) {
          const doi = (raw.doi ?? '').toLowerCase().replace(/^https?:\/\/doi\.org\//, '');
          const id = byDoi.get(doi);
          if (id !== undefined) out.set(id, toOpenAlexWork(raw));
        }
      }
      return out;
    },
    async lookupAuthors(ids) {
      const out = new Map<string, OpenAlexAuthor | null>(ids.map((id) => [id, null]));
      for (let i = 0; i < ids.length; i += OPENALEX_FILTER_MAX) {
        const part = ids.slice(i, i + OPENALEX_FILTER_MAX);
        const authors = await list('authors', `openalex:${part.join('|')}`, 'id,display_name,orcid,works_count,cited_by_count,summary_stats,last_known_institutions', authorSchema);
        for (const raw of authors) {
          const author = toOpenAlexAuthor(raw);
          if (out.has(author.id)) out.set(author.id, author);
        }
      }
      return out;
    },
  };
}
