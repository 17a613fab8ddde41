/**
 * The selection model: the calibrated probability that researchers pick a paper (Hugging Face Daily
 * Papers featuring it on its announcement day), from what is known at announcement time. A logistic
 * regression over standardised named features and word indicators, then Platt scaling fitted on
 * out-of-fold predictions. Trained by `npm run train:selection` (src/score/selection-training.ts),
 * shipped as assets/models/selection-model.json and read once, on first use.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { SelectionSignalKey } from '../domain/scoring.ts';
import { applyPlatt, linearScore, type SparseExample } from './logistic-regression.ts';
import { DENSE_FEATURES, selectionFeatures, type SelectionFeatureInput, type SelectionFeatures } from './selection-features.ts';

export const DEFAULT_SELECTION_MODEL_PATH = fileURLToPath(new URL('../../assets/models/selection-model.json', import.meta.url));

export const selectionModelSchema = z.object({
  /** Stored with every score (SCORING_METHOD includes it), so new weights mean recomputed scores. */
  id: z.string().min(1),
  dense: z.object({
    names: z.array(z.enum(DENSE_FEATURES)).length(DENSE_FEATURES.length),
    mean: z.array(z.number()),
    std: z.array(z.number().positive()),
    weights: z.array(z.number()),
  }),
  words: z.object({ vocabulary: z.array(z.string()), weights: z.array(z.number()) }),
  bias: z.number(),
  platt: z.object({ a: z.number(), b: z.number() }),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type SelectionModel = z.infer<typeof selectionModelSchema>;

export interface Contribution {
  key: SelectionSignalKey;
  /** Log-odds this signal added against an average paper (weight × standardised value; all words together for "topic"). */
  contribution: number;
  detail: string;
  /** False when the signal is a trait the paper lacks (no code link, no venue): the "why" line never names it. */
  present: boolean;
}

export interface SelectionPrediction {
  /** Calibrated probability of a pick, 0-1. */
  probability: number;
  contributions: Contribution[];
}

/** Index of each feature in the weight vector: the named features first, then the vocabulary. */
export function encodeFeatures(
  features: SelectionFeatures,
  standardise: { mean: readonly number[]; std: readonly number[] },
  wordIndex: ReadonlyMap<string, number>,
): Pick<SparseExample, 'indices' | 'values'> {
  const indices: number[] = [];
  const values: number[] = [];
  DENSE_FEATURES.forEach((name, i) => {
    indices.push(i);
    values.push((features.dense[name] - standardise.mean[i]!) / standardise.std[i]!);
  });
  const known = features.words.map((w) => wordIndex.get(w)).filter((i): i is number => i !== undefined);
  // Word indicators are scaled so that a long abstract does not count more than a short one.
  const scale = known.length === 0 ? 0 : 1 / Math.sqrt(known.length);
  for (const i of known.sort((a, b) => a - b)) {
    indices.push(DENSE_FEATURES.length + i);
    values.push(scale);
  }
  return { indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

/** Which named features are shown together as one signal of the "why" line and the paper page. */
const SIGNAL_OF: Record<(typeof DENSE_FEATURES)[number], SelectionSignalKey> = {
  authors: 'authors',
  venue: 'venue',
  projectPage: 'projectPage',
  code: 'code',
  huggingFace: 'code',
  primaryCV: 'categories',
  primaryCL: 'categories',
  primaryAI: 'categories',
  primaryLG: 'categories',
  crossLG: 'categories',
  crossCL: 'categories',
  crossCV: 'categories',
  categories: 'categories',
  numbers: 'numbers',
  namedMethod: 'namedMethod',
  abstractLength: 'abstractLength',
  trackRecord: 'trackRecord',
};

export class SelectionScorer {
  readonly model: SelectionModel;
  private readonly wordIndex: Map<string, number>;
  private readonly weights: Float64Array;

  constructor(model: SelectionModel) {
    this.model = model;
    this.wordIndex = new Map(model.words.vocabulary.map((w, i) => [w, i]));
    this.weights = Float64Array.from([...model.dense.weights, ...model.words.weights]);
  }

  predict(input: SelectionFeatureInput): SelectionPrediction {
    const features = selectionFeatures(input);
    const encoded = encodeFeatures(features, this.model.dense, this.wordIndex);
    const logit = linearScore({ bias: this.model.bias, weights: this.weights }, encoded);
    const bySignal = new Map<SelectionSignalKey, number>();
    const topWords: Array<{ word: string; weight: number }> = [];
    for (let k = 0; k < encoded.indices.length; k += 1) {
      const index = encoded.indices[k]!;
      const part = this.weights[index]! * encoded.values[k]!;
      const key = index < DENSE_FEATURES.length ? SIGNAL_OF[DENSE_FEATURES[index]!] : 'topic';
      bySignal.set(key, (bySignal.get(key) ?? 0) + part);
      if (index >= DENSE_FEATURES.length) topWords.push({ word: this.model.words.vocabulary[index - DENSE_FEATURES.length]!, weight: part });
    }
    const words = topWords.sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : 1));
    const detail = (key: SelectionSignalKey, contribution: number): string => {
      const d = features.dense;
      switch (key) {
        case 'topic':
          return contribution >= 0
            ? `topic researchers pick (${words.slice(0, 3).map((w) => w.word).join(', ')})`
            : `topic researchers rarely pick (${words.slice(-3).reverse().map((w) => w.word).join(', ')})`;
        case 'authors':
          return `${input.authorCount} ${input.authorCount === 1 ? 'author' : 'authors'}`;
        case 'venue':
          return d.venue ? 'accepted at a venue' : 'no venue named';
        case 'projectPage':
          return d.projectPage ? 'project page' : 'no project page';
        case 'code':
          return d.code ? 'code released' : 'no code link';
        case 'categories':
          return `${input.categories[0] ?? 'no category'}${input.categories.length > 1 ? ` + ${input.categories.length - 1} cross-listed` : ''}`;
        case 'numbers':
          return `${d.numbers} quantitative ${d.numbers === 1 ? 'result' : 'results'}`;
        case 'namedMethod':
          return d.namedMethod ? 'names its method in the title' : 'no method name in the title';
        case 'abstractLength':
          return `${Math.round(Math.expm1(d.abstractLength))}-word abstract`;
        case 'trackRecord':
          return input.authorPriorPapers === null ? 'author track record unknown' : `an author has ${input.authorPriorPapers} earlier ${input.authorPriorPapers === 1 ? 'paper' : 'papers'}`;
      }
    };
    const d = features.dense;
    const absent: Partial<Record<SelectionSignalKey, boolean>> = {
      venue: d.venue === 0,
      projectPage: d.projectPage === 0,
      code: d.code === 0,
      namedMethod: d.namedMethod === 0,
      trackRecord: !input.authorPriorPapers,
    };
    const contributions = [...bySignal.entries()].map(([key, contribution]) => ({
      key,
      contribution: Math.round(contribution * 1000) / 1000,
      detail: detail(key, contribution),
      present: !absent[key],
    }));
    return { probability: applyPlatt(this.model.platt, logit), contributions };
  }
}

export function loadSelectionModel(file = DEFAULT_SELECTION_MODEL_PATH): SelectionScorer {
  return new SelectionScorer(selectionModelSchema.parse(JSON.parse(readFileSync(file, 'utf8'))));
}

let shipped: SelectionScorer | undefined;
/** The shipped model, read on first use. */
export function shippedSelectionModel(): SelectionScorer {
  shipped ??= loadSelectionModel();
  return shipped;
}
