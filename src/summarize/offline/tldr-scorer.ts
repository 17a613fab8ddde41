/**
 * Which abstract sentence makes the best TL;DR: a small linear scorer over each sentence's role
 * probabilities (role-model.ts), position, length, overlap with the title and a few cue words.
 * Trained on the SciTLDR TRAIN split (scripts/train-tldr-scorer.ts) to prefer the sentence whose
 * clean shortening has the highest ROUGE against the gold TLDR; weights in
 * assets/models/tldr-scorer.json, read once on first use. The TL;DR is always that sentence
 * verbatim, or a clean prefix of it (shortenSentence), never new text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cachedPorterStem } from './porter-stemmer.ts';
import {
  analyseSentenceRoles,
  isAvailabilitySentence,
  isImplicationSentence,
  type RoleProbabilities,
  type RoleScores,
} from './roles.ts';

export const TLDR_SCORER_FORMAT = 'papersift-tldr-scorer/1';

/** What the scorer knows about one candidate sentence. */
export interface TldrCandidate {
  text: string;
  index: number;
  /** Sentences in the abstract. */
  total: number;
  probabilities: RoleProbabilities;
  scores: RoleScores;
  implication: boolean;
  availability: boolean;
}

export interface TldrScorerWeights {
  format: typeof TLDR_SCORER_FORMAT;
  featureNames: string[];
  weights: number[];
  /** The TL;DR is the chosen sentence shortened at a clause boundary to at most this many characters. */
  maxChars: number;
  meta?: Record<string, unknown>;
}

export const DEFAULT_TLDR_SCORER_PATH = fileURLToPath(new URL('../../../assets/models/tldr-scorer.json', import.meta.url));

/** Words too common to say anything about overlap with the title. */
const STOPWORDS = new Set(
  (
    'a an the of for in on to and or with by from via is are be as at we our this that these its their ' +
    'using based towards toward into over under new novel learning approach method model models'
  ).split(' '),
);

/** Stemmed content words, for title overlap. */
export function contentStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const match of text.toLowerCase().matchAll(/[a-z][a-z0-9]*/g)) {
    const word = match[0];
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    stems.add(cachedPorterStem(word));
  }
  return stems;
}

const CUES: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['cue:we-propose', /\bwe (?:\w+ly )?(?:propose|introduce|present|develop|design|devise)\b/i],
  ['cue:this-paper', /\b(?:this|the present) (?:paper|work|study|article)\b|\bin this (?:paper|work)\b|\bhere,? we\b/i],
  ['cue:we-show', /\bwe (?:\w+ly )?(?:show|demonstrate|prove|find|observe)\b/i],
  ['cue:novel', /\b(?:novel|new|first)\b/i],
  ['cue:sota', /\b(?:outperform\w*|state-of-the-art|sota|surpass\w*)\b/i],
  ['cue:experiments', /\b(?:experiments?|empirical(?:ly)?|benchmarks?|results)\b/i],
  ['cue:contrast', /^(?:however|but|unfortunately|although|while|despite)\b/i],
  ['cue:context', /\b(?:recent(?:ly)?|existing|prior|previous|traditional|conventional)\b/i],
  ['cue:named', /\b(?:called|dubbed|named|termed)\b|\([A-Z][A-Za-z0-9-]+\)/],
  ['cue:which', /,\s*which\b/i],
  ['cue:number', /\d/],
];

const LENGTH_BOUNDS = [10, 15, 20, 25, 30, 40];

/** Names of the features, in the order of `tldrFeatures`' output. */
export const TLDR_FEATURE_NAMES: readonly string[] = [
  'bias',
  'p:background',
  'p:objective',
  'p:method',
  'p:result',
  'p:other',
  'relative-position',
  'first',
  'second',
  'third',
  'last',
  ...Array.from({ length: LENGTH_BOUNDS.length + 1 }, (_, i) => `length-bucket:${i}`),
  'title-overlap',
  'title-overlap-share',
  'cue-score:objective',
  'cue-score:method',
  'cue-score:result',
  'cue-score:background',
  'implication',
  'availability',
  ...CUES.map(([name]) => name),
];

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** The feature vector of one candidate; `titleStems` from `contentStems(title)`. */
export function tldrFeatures(candidate: TldrCandidate, titleStems: ReadonlySet<string>): number[] {
  const { index, total, probabilities: p, scores } = candidate;
  const words = wordCount(candidate.text);
  let lengthBucket = 0;
  while (lengthBucket < LENGTH_BOUNDS.length && words > (LENGTH_BOUNDS[lengthBucket] as number)) lengthBucket++;
  const stems = contentStems(candidate.text);
  let shared = 0;
  for (const stem of stems) if (titleStems.has(stem)) shared++;
  const flag = (value: boolean): number => (value ? 1 : 0);
  const squash = (value: number): number => Math.tanh(value / 3);
  return [
    1,
    p.background,
    p.objective,
    p.method,
    p.result,
    p.other,
    total > 1 ? index / (total - 1) : 0,
    flag(index === 0),
    flag(index === 1),
    flag(index === 2),
    flag(index === total - 1),
    ...Array.from({ length: LENGTH_BOUNDS.length + 1 }, (_, i) => flag(i === lengthBucket)),
    Math.min(shared, 6) / 6,
    titleStems.size === 0 ? 0 : shared / titleStems.size,
    squash(scores.objective),
    squash(scores.method),
    squash(scores.result),
    squash(scores.background),
    flag(candidate.implication),
    flag(candidate.availability),
    ...CUES.map(([, pattern]) => flag(pattern.test(candidate.text))),
  ];
}

export class TldrScorer {
  readonly maxChars: number;
  private readonly weights: Float64Array;

  constructor(file: TldrScorerWeights) {
    if (file.format !== TLDR_SCORER_FORMAT) throw new Error(`unknown TL;DR scorer format: ${String(file.format)}`);
    const sameFeatures =
      file.featureNames.length === TLDR_FEATURE_NAMES.length &&
      file.featureNames.every((name, i) => name === TLDR_FEATURE_NAMES[i]);
    if (!sameFeatures || file.weights.length !== TLDR_FEATURE_NAMES.length) {
      throw new Error('TL;DR scorer weights do not match this version\'s features: retrain with scripts/train-tldr-scorer.ts');
    }
    this.weights = Float64Array.from(file.weights);
    this.maxChars = file.maxChars;
  }

  /** One score per candidate (higher is a better TL;DR). */
  score(candidates: readonly TldrCandidate[], title: string): number[] {
    const titleStems = contentStems(title);
    return candidates.map((candidate) => {
      const features = tldrFeatures(candidate, titleStems);
      let score = 0;
      for (let i = 0; i < features.length; i++) score += (features[i] as number) * (this.weights[i] as number);
      return score;
    });
  }
}

let defaultScorer: TldrScorer | undefined;

export function loadTldrScorer(file: string = DEFAULT_TLDR_SCORER_PATH): TldrScorer {
  return new TldrScorer(JSON.parse(readFileSync(file, 'utf8')) as TldrScorerWeights);
}

/** The bundled scorer, loaded on first use and shared afterwards. */
export function defaultTldrScorer(): TldrScorer {
  defaultScorer ??= loadTldrScorer();
  return defaultScorer;
}

/**
 * The candidates of an abstract exactly as the offline engine sees them (release statements
 * flagged), for training and evaluating the scorer outside the engine.
 */
export function tldrCandidates(sentences: readonly string[]): TldrCandidate[] {
  const analysis = analyseSentenceRoles(sentences);
  const total = sentences.length;
  return sentences.map((text, index) => ({
    text,
    index,
    total,
    probabilities: analysis[index]?.probabilities ?? { background: 0, objective: 0, method: 0, result: 0, other: 1 },
    scores: analysis[index]?.scores ?? { background: 0, objective: 0, method: 0, result: 0, implication: 0 },
    implication: isImplicationSentence(text, { index, total }),
    availability: isAvailabilitySentence(text),
  }));
}
