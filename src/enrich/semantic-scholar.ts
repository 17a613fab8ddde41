/**
 * The edge to the Semantic Scholar Graph API: paper batch lookup by arXiv id, author batch and an
 * author's papers. Every answer is validated with zod here; nothing past this file sees S2 JSON.
 * Limits (api.semanticscholar.org/api-docs): ≤500 ids per paper batch, ≤1,000 per author batch,
 * 1 request/s with a key — spacing and backoff are the polite client's job.
 */
import { z } from 'zod';
import { parseJsonWithoutForbiddenCharacters } from '../domain/forbidden-characters.ts';
import type { PoliteClient } from '../http/polite-client.ts';
import { EnrichmentFormatError, isNotFound } from './errors.ts';

export const S2_PAPER_BATCH_MAX = 500;
export const S2_AUTHOR_BATCH_MAX = 1000;
const SERVICE = 'Semantic Scholar';

const count = z.number().int().min(0).nullable().optional().transform((v) => v ?? null);

const paperSchema = z.object({
  paperId: z.string(),
  citationCount: count,
  influentialCitationCount: count,
  // Partial records exist (PaperWithNullValues.json): authors can be null.
  authors: z
    .array(z.object({ authorId: z.string().nullable().optional(), name: z.string().nullable().optional() }))
    .nullable()
    .optional()
    .transform((list) => (list ?? []).map((a) => ({ authorId: a.authorId ?? null, name: a.name ?? '' }))),
});

const authorSchema = z.object({
  authorId: z.string(),
  name: z.string().nullable().optional().transform((v) => v ?? null),
  url: z.string().nullable().optional().transform((v) => v ?? null),
  affiliations: z.array(z.string()).nullable().optional().transform((v) => v ?? []),
  hIndex: count,
  paperCount: count,
  citationCount: count,
  externalIds: z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .transform((ids) => (typeof ids?.ORCID === 'string' ? ids.ORCID : null)),
});

const authorPapersSchema = z.object({
  offset: z.number().int().optional(),
  next: z.number().int().optional(),
  data: z.array(z.object({ paperId: z.string(), title: z.string().nullable().optional(), citationCount: count })),
});

export type S2Paper = z.infer<typeof paperSchema>;
export type S2Author = Omit<z.infer<typeof authorSchema>, 'externalIds'> & { orcid: string | null };
export type S2AuthorPaper = z.infer<typeof authorPapersSchema>['data'][number];

export interface SemanticScholarClient {
  /** arXiv id → the S2 paper, or null when S2 does not know it; in the order asked. */
  lookupPapers(arxivIds: string[]): Promise<Map<string, S2Paper | null>>;
  lookupAuthors(authorIds: string[]): Promise<Map<string, S2Author | null>>;
  /** All papers of one author (following `next`), or null for an unknown author (404). */
  authorPapers(authorId: string): Promise<S2AuthorPaper[] | null>;
}

function parse<T extends z.ZodType>(schema: T, body: string | null, what: string): z.infer<T> {
  let json: unknown;
  try {
    json = parseJsonWithoutForbiddenCharacters(body ?? '');
  } catch {
    throw new EnrichmentFormatError(SERVICE, `${what} is not JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new EnrichmentFormatError(SERVICE, `${what}: ${result.error.issues[0]?.path.join('.')} ${result.error.issues[0]?.message}`);
  return result.data;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createSemanticScholarClient(http: PoliteClient, options: { apiUrl: string; apiKey: string | null }): SemanticScholarClient {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;

  async function batch<T extends z.ZodType>(path: string, fields: string, ids: string[], schema: T, what: string): Promise<Array<z.infer<T> | null>> {
    const url = `${options.apiUrl}/${path}/batch?fields=${encodeURIComponent(fields)}`;
    const response = await http.post(url, JSON.stringify({ ids }), { headers });
    // The batch answer is aligned with the ids asked, with null for an id S2 does not know.
    const list = parse(z.array(schema.nullable()), response.body, what);
    if (list.length !== ids.length) throw new EnrichmentFormatError(SERVICE, `${what}: ${list.length} entries for ${ids.length} ids`);
    return list;
  }

  return {
    async lookupPapers(arxivIds) {
      const out = new Map<string, S2Paper | null>();
      for (const part of chunk(arxivIds, S2_PAPER_BATCH_MAX)) {
        const list = await batch('paper', 'citationCount,influentialCitationCount,authors', part.map((id) => `ARXIV:${id}`), paperSchema, 'paper batch');
        part.forEach((id, i) => out.set(id, list[i] ?? null));
      }
      return out;
    },
    async lookupAuthors(authorIds) {
      const out = new Map<string, S2Author | null>();
      for (const part of chunk(authorIds, S2_AUTHOR_BATCH_MAX)) {
        const list = await batch('author', 'name,url,affiliations,hIndex,paperCount,citationCount,externalIds', part, authorSchema, 'author batch');
        part.forEach((id, i) => {
          const found = list[i];
          if (!found) return void out.set(id, null);
          const { externalIds: orcid, ...rest } = found;
          out.set(id, { ...rest, orcid });
        });
      }
      return out;
    },
    async authorPapers(authorId) {
      const papers: S2AuthorPaper[] = [];
      let offset: number | undefined = 0;
      while (offset !== undefined) {
        const url: string = `${options.apiUrl}/author/${encodeURIComponent(authorId)}/papers?fields=title,citationCount&offset=${offset}&limit=100`;
        let body: string | null;
        try {
          body = (await http.get(url, { headers })).body;
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
        const page: z.infer<typeof authorPapersSchema> = parse(authorPapersSchema, body, 'author papers');
        papers.push(...page.data);
        // A `next` that does not move forward would have us ask for the same page forever.
        if (page.next !== undefined && page.next <= offset) throw new EnrichmentFormatError(SERVICE, `author papers: next ${page.next} does not move past offset ${offset}`);
        offset = page.next;
      }
      return papers;
    },
  };
}
