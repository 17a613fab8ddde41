/**
 * The scoring vocabulary shared by the score and select stages, the read models and the pages: the
 * method versions stored with scores and digests, the `details` JSON of a score, the signals the
 * selection model reports, and the score a day's papers are ranked by.
 */
import { z } from 'zod';
import { rubricSchema } from './rubric.ts';

/**
 * The version of the scoring method, stored with every score. Bump it whenever a change can change a
 * number (model weights, k, vocabulary, calibration); scores of another version are then recomputed.
 */
export const SCORING_METHOD = 'score-2';

/** Novelty: the k nearest earlier papers a paper is compared with (src/score/novelty.ts). */
export const NOVELTY_NEIGHBOURS = 5;
/** Novelty is a percentile among the papers of this many previous days. */
export const CALIBRATION_DAYS = 30;
/** The reference is a deterministic sample of at most this many papers, which bounds the cost per day. */
export const MAX_REFERENCE = 1000;
/** Below this many papers in the window, or in a store younger than the window, the paper's own day is the reference. */
export const MIN_REFERENCE = 50;
/** Terms in more than this share of the documents (and more than MIN_PRUNED_DF of them) are treated as stopwords (src/score/text-index.ts). */
export const MAX_DF_SHARE = 0.02;
/** A small corpus keeps every term: in 20 papers, a word shared by three is still telling. */
export const MIN_PRUNED_DF = 100;
/**
 * Candidates are found by a paper's QUERY_TERMS heaviest terms (as Lucene's MoreLikeThis does), which
 * bounds the cost of a query; the best of them are then ranked by their exact cosine.
 */
export const QUERY_TERMS = 20;
/** The best candidates by the partial score get their exact cosine, which decides the neighbours. */
export const RERANK_CANDIDATES = 50;
/** A new version is news when its abstract shares less than this share of its words with the previous one (src/select/material-change.ts). */
export const MATERIAL_CHANGE_OVERLAP = 0.8;

/** The version of the daily selection, stored with every digest entry. */
export const SELECTION_METHOD = 'selection-model-1';

/** The signals the selection model reports, each a group of its features (see src/score/selection-features.ts). */
export const SELECTION_SIGNALS = ['topic', 'authors', 'venue', 'projectPage', 'code', 'categories', 'numbers', 'namedMethod', 'abstractLength', 'trackRecord'] as const;
export type SelectionSignalKey = (typeof SELECTION_SIGNALS)[number];

export const SELECTION_SIGNAL_LABELS: Record<SelectionSignalKey, string> = {
  topic: 'topic (words of title and abstract)',
  authors: 'number of authors',
  venue: 'venue acceptance in the comment',
  projectPage: 'project page',
  code: 'code or models released',
  categories: 'primary category and cross-lists',
  numbers: 'results with numbers',
  namedMethod: 'a method named in the title',
  abstractLength: 'abstract length',
  trackRecord: 'author track record',
};

/** The `details` JSON of a `scores` row: what the numbers were computed from, for pages and audits. */
export const scoreDetailsSchema = z.object({
  method: z.string(),
  novelty: z.object({
    percentile: z.number(),
    distance: z.number(),
    k: z.number().int(),
    /** The closest earlier papers the paper was compared with, most similar first. */
    closest: z.array(z.object({ id: z.string(), title: z.string(), similarity: z.number() })),
    reference: z.object({ days: z.number().int(), papers: z.number().int(), sameDay: z.boolean() }),
  }),
  aiScore: z.object({
    source: z.literal('selection-model'),
    /** The model's id (assets/models/selection-model.json). */
    model: z.string(),
    /** Calibrated probability of a pick, 0-1 (the AI Score is 100 times it). */
    probability: z.number(),
    /** What each signal added to the log-odds, largest first; `present` is false for a missing trait (no code, no venue), which is never named as a reason. */
    signals: z.array(z.object({ key: z.enum(SELECTION_SIGNALS), contribution: z.number(), detail: z.string(), present: z.boolean() })),
    /** The rubric the summarising LLM filled in, shown beside the score; it does not change it. */
    rubric: rubricSchema.nullable(),
    /** Which summary the rubric came from ("engine/model/promptVersion@createdAt"); null offline. */
    summaryKey: z.string().nullable(),
  }),
});

export type ScoreDetails = z.infer<typeof scoreDetailsSchema>;

/** Parses a stored details column; null when it is not this method's shape (an older method version). */
export function parseScoreDetails(json: string): ScoreDetails | null {
  try {
    const parsed = scoreDetailsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * What a day's papers are ranked by: the AI Score, the calibrated probability of a pick. Novelty is
 * shown beside it but does not rank on its own, so a paper far from everything (and off-topic) is not
 * carried to the top by its distance.
 */
export function selectionScore(scores: { novelty: number; aiScore: number }): number {
  return scores.aiScore;
}

const recallFiguresSchema = z.object({ recall: z.number(), upvoteRecall: z.number(), meanDayRecall: z.number() });
export type RecallFigures = z.infer<typeof recallFiguresSchema>;

/**
 * The cross-validated figures of the shipped selection model, written by its trainer next to the
 * weights (assets/models/selection-figures.json) and stated on /about/scores.
 */
export const selectionFiguresSchema = z.object({
  model: z.string(),
  command: z.string(),
  days: z.number().int(),
  firstDay: z.string(),
  lastDay: z.string(),
  papers: z.number().int(),
  positives: z.number().int(),
  k: z.number().int(),
  selectionModel: recallFiguresSchema,
  random: recallFiguresSchema,
  mostAuthors: recallFiguresSchema,
  heuristic: recallFiguresSchema.extend({ rule: z.string() }),
});
export type SelectionFigures = z.infer<typeof selectionFiguresSchema>;
