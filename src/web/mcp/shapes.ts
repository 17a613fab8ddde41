/**
 * What the MCP tools answer, as zod schemas (each tool's output schema, which the SDK checks every
 * structured answer against) and the functions that shape the read models into them. Compact on
 * purpose: an assistant's context is small, so cards carry the TL;DR and highlights, not every section.
 */
import { z } from 'zod';
import type { AuthorProfile } from '../../digest/author-profile.ts';
import type { PaperCard, PaperDetail } from '../../digest/cards.ts';
import { plainText } from '../../digest/highlight.ts';
import type { SearchHit } from '../../digest/search.ts';

const scores = z.object({ novelty: z.number(), aiScore: z.number() }).nullable().describe('Novelty % and AI Score (0-100); null until scored');

export const cardOutput = z.object({
  id: z.string().describe('arXiv id'),
  version: z.number().int(),
  title: z.string(),
  authors: z.array(z.object({ id: z.number().int().describe('Author profile id (get_author)'), name: z.string() })),
  primaryCategory: z.string(),
  categories: z.array(z.string()),
  published: z.string().describe('First version, ISO 8601'),
  tags: z.array(z.string()),
  summary: z.string().describe("papersift's summary ('' while not summarised)"),
  highlights: z.array(z.string()),
  scores,
  why: z.string().nullable().describe('Why the digest selected it; null outside a digest'),
  links: z.object({ abs: z.string(), pdf: z.string(), code: z.string().optional(), page: z.string().describe('papersift page path') }),
});
export type CardOutput = z.infer<typeof cardOutput>;

export function toCardOutput(card: PaperCard): CardOutput {
  return {
    id: card.id,
    version: card.version,
    title: card.title,
    authors: card.authors,
    primaryCategory: card.primaryCategory,
    categories: card.categories,
    published: card.published,
    tags: [...card.tags],
    summary: card.sections.summary,
    highlights: card.highlights,
    scores: card.scores,
    why: card.why,
    links: { ...card.links, page: `/papers/${card.id}` },
  };
}

const similar = z.object({ id: z.string(), title: z.string(), similarity: z.number().describe('TF-IDF cosine similarity, 0-1') });

export const paperOutput = z.object({
  ...cardOutput.shape,
  abstract: z.string(),
  comment: z.string().nullable(),
  journalRef: z.string().nullable(),
  doi: z.string().nullable(),
  announcedOn: z.string().nullable(),
  versions: z.array(z.object({ version: z.number().int(), submitted: z.string() })),
  sections: z.object({ summary: z.string(), methodology: z.string(), results: z.string(), implications: z.string() }),
  closestPriorPapers: z.array(similar).describe('The earlier papers most like it, which its Novelty % was computed from'),
});

export function toPaperOutput(paper: PaperDetail): z.infer<typeof paperOutput> {
  return {
    ...toCardOutput(paper),
    abstract: paper.abstract,
    comment: paper.comment,
    journalRef: paper.journalRef,
    doi: paper.doi,
    announcedOn: paper.announcedOn,
    versions: paper.versions,
    sections: paper.sections,
    closestPriorPapers: (paper.scoreDetails?.novelty.closest ?? []).map(({ id, title, similarity }) => ({ id, title, similarity })),
  };
}

export const digestOutput = z.object({
  date: z.string(),
  isLatest: z.boolean(),
  days: z.array(z.string()).describe('Browsable announcement days, newest first'),
  papersInDigest: z.number().int(),
  papersAnnounced: z.number().int(),
  papers: z.array(cardOutput),
});

export const searchOutput = z.object({
  query: z.string(),
  total: z.number().int(),
  page: z.number().int(),
  pages: z.number().int(),
  hits: z.array(z.object({ paper: cardOutput, announcedOn: z.string().nullable(), snippet: z.string().describe('The best matching passage') })),
});

export const toHitOutput = (hit: SearchHit) => ({ paper: toCardOutput(hit.paper), announcedOn: hit.announcedOn, snippet: plainText(hit.match.snippet) });

const figure = z.object({ value: z.number().nullable(), label: z.string() });

export const authorOutput = z.object({
  id: z.number().int(),
  name: z.string(),
  verified: z.boolean().describe('False for a name-only author: no external id links the name to a person'),
  ids: z.object({ semanticScholar: z.string().nullable(), openAlex: z.string().nullable(), orcid: z.string().nullable() }),
  affiliations: z.array(z.string()),
  primaryCategory: z.string(),
  hIndex: figure,
  papers: figure,
  citations: figure,
  novelty: figure,
  aiScore: figure,
  paperList: z.object({
    total: z.number().int(),
    page: z.number().int(),
    pages: z.number().int(),
    papers: z.array(z.object({ id: z.string(), title: z.string(), date: z.string(), primaryCategory: z.string(), citations: z.number().int().nullable() })),
  }),
});

const toFigure = (f: { value: number | null; label: string }) => ({ value: f.value, label: f.label });

export function toAuthorOutput(profile: AuthorProfile): z.infer<typeof authorOutput> {
  return {
    id: profile.id,
    name: profile.name,
    verified: profile.verified,
    ids: profile.ids,
    affiliations: profile.affiliations.map((a) => a.name),
    primaryCategory: profile.primaryCategory.value,
    hIndex: toFigure(profile.hIndex),
    papers: toFigure(profile.papers),
    citations: toFigure(profile.citations),
    novelty: toFigure(profile.novelty),
    aiScore: toFigure(profile.aiScore),
    paperList: {
      total: profile.paperList.total,
      page: profile.paperList.page,
      pages: profile.paperList.pages,
      papers: profile.paperList.papers.map((p) => ({ id: p.id, title: p.title, date: p.date, primaryCategory: p.primaryCategory, citations: p.citations })),
    },
  };
}

export const similarOutput = z.object({
  id: z.string(),
  title: z.string(),
  earlier: z.array(similar).describe('The closest earlier papers, most similar first'),
  later: z.array(similar).describe('Later papers that found this one among their closest earlier papers, most similar first'),
});

export const personalDigestOutput = z.object({
  date: z.string(),
  reader: z.string().describe("The reader whose ranking this is (their email)"),
  papers: z.array(cardOutput.extend({ personal: z.object({ score: z.number(), why: z.string().describe('The reasons, strongest first') }) })).describe("The day's papers ranked for the reader, best first"),
});

export const savedOutput = z.object({
  id: z.string(),
  saved: z.boolean(),
  inLibrary: z.boolean().describe('A save also enters the library, which the ranking learns from first'),
});
