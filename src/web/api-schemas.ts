/**
 * The JSON shapes the API answers, as zod schemas: the OpenAPI document is generated from them
 * (openapi.ts), and each route's handler is type-checked against them. Every schema is checked below
 * to describe exactly the type its read model returns, so a field added to one and not the other fails
 * the typecheck, and a field sent but not described fails the response validation of the API tests
 * (objects are closed: additionalProperties false). Add a field to a response here.
 */
import { z } from '@hono/zod-openapi';
import type { DayStatus } from '../store/announcement-days.ts';
import type { AnnouncementStatus } from '../digest/announcement-status.ts';
import type { Figure, ScoreFigure } from '../digest/author-figures.ts';
import type { AuthorProfile, ProfilePaper } from '../digest/author-profile.ts';
import type { PaperCard, PaperDetail } from '../digest/cards.ts';
import type { Digest, DigestStats } from '../digest/digest-query.ts';
import type { Segment } from '../digest/highlight.ts';
import type { SameAuthorPaper } from '../digest/same-authors.ts';
import type { PaperScores } from '../digest/scores.ts';
import type { SearchHit, SearchResults } from '../digest/search.ts';
import type { Affiliation } from '../domain/affiliations.ts';
import { scoreDetailsSchema } from '../domain/scoring.ts';
import { TAXONOMY } from '../domain/taxonomy.ts';
import type { CslItem } from './citations/csl.ts';

const day = z.iso.date().meta({ example: '2026-06-26' });
const timestamp = z.string().meta({ description: 'ISO 8601 date and time' });

export const errorSchema = z
  .strictObject({
    error: z.strictObject({
      status: z.number().int().meta({ description: 'The HTTP status, repeated' }),
      message: z.string().meta({ description: 'What was wrong, for people' }),
    }),
  })
  .openapi('Error');

const authorRef = z.strictObject({
  id: z.number().int().meta({ description: 'Profile id: /authors/{id}' }),
  name: z.string(),
});

const scoresSchema = z.strictObject({
  novelty: z.number().meta({ description: 'Novelty %, 0-100' }),
  aiScore: z.number().meta({ description: 'AI Score, 0-100' }),
});

// Cards are spread into the larger shapes rather than extended: an extended closed object would be
// documented as allOf two closed objects, which no answer can satisfy.
export const cardShape = {
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  authors: z.array(authorRef).meta({ description: 'In list order' }),
  primaryCategory: z.string(),
  categories: z.array(z.string()),
  published: timestamp,
  updated: timestamp,
  links: z.strictObject({ abs: z.url(), pdf: z.url(), code: z.string().optional().meta({ description: 'A link to code, models or a project page, as the paper gives it' }) }),
  tags: z.array(z.enum(TAXONOMY)),
  highlights: z.array(z.string()),
  sections: z.strictObject({ summary: z.string(), methodology: z.string(), results: z.string(), implications: z.string() }),
  summarySource: z
    .strictObject({ engine: z.string(), model: z.string(), promptVersion: z.string(), createdAt: timestamp, outcome: z.enum(['success', 'fallback']) })
    .nullable()
    .meta({ description: 'Which engine wrote the summary; null while the paper is not summarised' }),
  scores: scoresSchema.nullable().meta({ description: 'Novelty % and AI Score of the shown version (see /about/scores); null until scored' }),
  why: z.string().nullable().meta({ description: 'Why the digest selected this paper; null outside a digest' }),
};
export const cardSchema = z.strictObject(cardShape).openapi('Card');

const sameAuthorPaperSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  day: day.meta({ description: 'The mailing day it was first announced on, else its submission day' }),
  sharedAuthors: z.array(authorRef),
});

const paperDetailShape = {
  ...cardShape,
  abstract: z.string(),
  comment: z.string().nullable(),
  journalRef: z.string().nullable(),
  doi: z.string().nullable(),
  summaryStatus: z.string(),
  versions: z.array(z.strictObject({ version: z.number().int(), submitted: timestamp })),
  announcedOn: day.nullable(),
  scoreDetails: scoreDetailsSchema.nullable().meta({ description: 'What the scores were computed from: signals or rubric, and the closest prior papers' }),
};
const paperDetailSchema = z.strictObject(paperDetailShape);

export const paperResponseSchema = z
  .strictObject({ ...paperDetailShape, sameAuthors: z.array(sameAuthorPaperSchema).meta({ description: 'The latest other papers sharing an author profile, newest first' }) })
  .openapi('PaperDetail');

const dayStatusSchema = z.strictObject({
  day,
  kind: z.enum(['announcement', 'weekend', 'holiday', 'empty']),
  listed: z.number().int().meta({ description: 'Distinct papers arXiv listed over the followed categories' }),
  stored: z.number().int(),
  checkedAt: timestamp,
  byCategory: z.array(z.strictObject({ category: z.string(), listed: z.number().int(), stored: z.number().int() })),
});

const announcementSchema = z.strictObject({
  today: day.meta({ description: "Today's date in US Eastern time, arXiv's clock" }),
  todayKind: z.enum(['announcement', 'weekend', 'holiday']),
  shownDay: dayStatusSchema.nullable().meta({ description: 'What arXiv listed and papersift stored for the day shown, when that day was checked' }),
  next: z.strictObject({ day, at: timestamp }),
});

const digestStatsSchema = z.strictObject({
  papersToday: z.number().int().meta({ description: "Papers in this day's digest" }),
  papersAnnounced: z.number().int().meta({ description: 'Papers arXiv announced that day in the followed categories' }),
  updateFrequencyHours: z.number().nullable(),
  daysOfHistory: z.number().int(),
});

export const digestSchema = z
  .strictObject({
    date: day,
    isLatest: z.boolean(),
    days: z.array(day).meta({ description: 'Browsable announcement days, newest first' }),
    stats: digestStatsSchema,
    announcement: announcementSchema,
    papers: z.array(cardSchema),
  })
  .openapi('Digest');

const figureShape = {
  value: z.number().nullable(),
  scope: z.string().meta({ description: 'What is counted' }),
  source: z.string().meta({ description: 'Who counted it' }),
  asOf: day.nullable(),
  label: z.string().meta({ description: 'The figure as one line for people' }),
};
const figureSchema = z.strictObject(figureShape).openapi('Figure');
const scoreFigureSchema = z.strictObject({ ...figureShape, scoredPapers: z.number().int(), methodVersions: z.array(z.string()) }).openapi('ScoreFigure');

const affiliationSchema = z.strictObject({ name: z.string(), short: z.string() });
const externalIds = z.strictObject({ semanticScholar: z.string().nullable(), openAlex: z.string().nullable(), orcid: z.string().nullable() });

const profilePaperSchema = z.strictObject({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  primaryCategory: z.string(),
  date: day,
  links: cardSchema.shape.links,
  authors: cardSchema.shape.authors,
  affiliations: z.array(affiliationSchema),
  abstract: z.string(),
  citations: z.number().int().nullable(),
});

export const authorProfileSchema = z
  .strictObject({
    id: z.number().int(),
    name: z.string(),
    verified: z.boolean().meta({ description: 'False for a name-only author: no external id links this name to a person' }),
    ids: externalIds,
    links: externalIds,
    primaryCategory: z.strictObject({ value: z.string(), scope: z.string(), source: z.string() }),
    affiliations: z.array(affiliationSchema),
    hIndex: figureSchema,
    papers: figureSchema,
    citations: figureSchema,
    listed: z.strictObject({ papers: figureSchema, citations: figureSchema, hIndex: figureSchema }),
    novelty: scoreFigureSchema,
    aiScore: scoreFigureSchema,
    paperList: z.strictObject({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), pages: z.number().int(), papers: z.array(profilePaperSchema) }),
  })
  .openapi('AuthorProfile');

const segmentsSchema = z.array(z.strictObject({ text: z.string(), match: z.boolean() })).meta({ description: 'Text runs; matched words have match: true. Never HTML.' });

const searchHitSchema = z.strictObject({
  paper: cardSchema,
  announcedOn: day.nullable(),
  match: z.strictObject({ title: segmentsSchema, authors: segmentsSchema, snippet: segmentsSchema }),
});

export const searchResultsSchema = z
  .strictObject({
    query: z.string(),
    total: z.number().int(),
    ranked: z.number().int().meta({ description: 'How many of the matches were ranked and can be paged through: all, or the most recently stored when there are very many' }),
    page: z.number().int(),
    perPage: z.number().int(),
    pages: z.number().int(),
    hits: z.array(searchHitSchema),
  })
  .openapi('SearchResults');

const cslNameSchema = z.union([
  z.strictObject({ family: z.string(), given: z.string().optional(), suffix: z.string().optional() }),
  z.strictObject({ literal: z.string().meta({ description: 'A name kept whole: one word, or a group' }) }),
]);

export const cslItemSchema = z
  .strictObject({
    id: z.string().meta({ description: 'The citation key, as in the BibTeX export', example: 'vaswani2017_1706.03762' }),
    type: z.enum(['article', 'article-journal']).meta({ description: 'article: a preprint (CSL 1.0.2); article-journal: arXiv lists a journal reference' }),
    title: z.string(),
    author: z.array(cslNameSchema),
    issued: z.strictObject({ 'date-parts': z.tuple([z.tuple([z.number().int(), z.number().int(), z.number().int()])]) }).meta({ description: 'The first version\'s submission date' }),
    abstract: z.string().optional(),
    'container-title': z.string().optional(),
    publisher: z.literal('arXiv'),
    number: z.string().meta({ example: 'arXiv:1706.03762' }),
    genre: z.literal('Preprint').optional(),
    DOI: z.string().optional(),
    URL: z.url(),
    note: z.string().optional().meta({ description: "The authors' comment on arXiv" }),
    keyword: z.string().meta({ description: 'The arXiv categories, comma-separated' }),
  })
  .openapi('CslItem');

export const cslListSchema = z.array(cslItemSchema).meta({ description: 'CSL-JSON: one item per paper' });

// Open objects (an OpenAPI document has more fields than are described here).
export const openApiDocumentSchema = z
  .object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()).optional() })
  .openapi('OpenAPIDocument');

// Each schema describes exactly its read model's type (mutual assignability: a required field on
// one side only fails; an optional one is caught by the closed objects at run time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Described<Schema extends z.ZodType, Model> = Same<z.output<Schema>, Model>;
const described: {
  segment: Described<typeof segmentsSchema, Segment[]>;
  scores: Described<typeof scoresSchema, PaperScores>;
  card: Described<typeof cardSchema, PaperCard>;
  detail: Described<typeof paperDetailSchema, PaperDetail>;
  sameAuthors: Described<typeof sameAuthorPaperSchema, SameAuthorPaper>;
  dayStatus: Described<typeof dayStatusSchema, DayStatus>;
  announcement: Described<typeof announcementSchema, AnnouncementStatus>;
  stats: Described<typeof digestStatsSchema, DigestStats>;
  digest: Described<typeof digestSchema, Digest>;
  figure: Described<typeof figureSchema, Figure>;
  scoreFigure: Described<typeof scoreFigureSchema, ScoreFigure>;
  affiliation: Described<typeof affiliationSchema, Affiliation>;
  profilePaper: Described<typeof profilePaperSchema, ProfilePaper>;
  profile: Described<typeof authorProfileSchema, AuthorProfile>;
  hit: Described<typeof searchHitSchema, SearchHit>;
  results: Described<typeof searchResultsSchema, SearchResults>;
  csl: Described<typeof cslItemSchema, CslItem>;
} = { segment: true, scores: true, card: true, detail: true, sameAuthors: true, dayStatus: true, announcement: true, stats: true, digest: true, figure: true, scoreFigure: true, affiliation: true, profilePaper: true, profile: true, hit: true, results: true, csl: true };
void described;
