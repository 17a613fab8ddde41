/**
 * Training the selection model: vocabulary and standardisation from the training papers only, an
 * L2 logistic regression, and Platt scaling fitted on leave-one-day-out predictions (each day scored
 * by a model that never saw it), so the probability is calibrated on papers the model did not learn.
 * Deterministic: the same papers and options give the same weights.
 */
import { fitPlatt, linearScore, trainLogistic, type SparseExample } from './logistic-regression.ts';
import { DENSE_FEATURES, selectionFeatures, type SelectionFeatureInput, type SelectionFeatures } from './selection-features.ts';
import { encodeFeatures, type SelectionModel } from './selection-model.ts';

export interface LabelledPaper {
  day: string;
  id: string;
  input: SelectionFeatureInput;
  /** 1 when researchers picked it on its announcement day. */
  label: number;
}

export interface SelectionTrainingOptions {
  l2: number;
  /** A word enters the vocabulary when at least this many training papers use it. */
  minDocumentFrequency: number;
  iterations: number;
}

export const DEFAULT_SELECTION_TRAINING: SelectionTrainingOptions = { l2: 0.001, minDocumentFrequency: 5, iterations: 150 };

/** Papers with their features computed once (cross-validation fits a model per day). */
export interface FeaturedPaper extends LabelledPaper {
  features: SelectionFeatures;
}

export function withFeatures(papers: readonly LabelledPaper[]): FeaturedPaper[] {
  return papers.map((p) => ({ ...p, features: selectionFeatures(p.input) }));
}

/** A model from these papers, with an identity calibration (see calibrate). */
export function fitSelectionModel(papers: readonly FeaturedPaper[], options: SelectionTrainingOptions, id: string): SelectionModel {
  const frequency = new Map<string, number>();
  for (const p of papers) for (const w of p.features.words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const vocabulary = [...frequency.entries()]
    .filter(([, n]) => n >= options.minDocumentFrequency)
    .map(([w]) => w)
    .sort();
  const wordIndex = new Map(vocabulary.map((w, i) => [w, i]));
  const mean = DENSE_FEATURES.map((name) => papers.reduce((sum, p) => sum + p.features.dense[name], 0) / Math.max(1, papers.length));
  const std = DENSE_FEATURES.map((name, i) => {
    const variance = papers.reduce((sum, p) => sum + (p.features.dense[name] - mean[i]!) ** 2, 0) / Math.max(1, papers.length);
    return Math.sqrt(variance) || 1;
  });
  const examples: SparseExample[] = papers.map((p) => ({ ...encodeFeatures(p.features, { mean, std }, wordIndex), label: p.label }));
  const fitted = trainLogistic(examples, { dimensions: DENSE_FEATURES.length + vocabulary.length, l2: options.l2, iterations: options.iterations });
  const round = (x: number): number => Math.round(x * 1e6) / 1e6;
  return {
    id,
    dense: {
      names: [...DENSE_FEATURES],
      mean: mean.map(round),
      std: std.map(round),
      weights: Array.from(fitted.weights.subarray(0, DENSE_FEATURES.length), round),
    },
    words: { vocabulary, weights: Array.from(fitted.weights.subarray(DENSE_FEATURES.length), round) },
    bias: round(fitted.bias),
    platt: { a: 1, b: 0 },
  };
}

/** Each paper's log-odds from a model trained on every other day. */
export function leaveOneDayOut(papers: readonly FeaturedPaper[], options: SelectionTrainingOptions): Map<FeaturedPaper, number> {
  const out = new Map<FeaturedPaper, number>();
  const days = [...new Set(papers.map((p) => p.day))].sort();
  for (const day of days) {
    const model = fitSelectionModel(
      papers.filter((p) => p.day !== day),
      options,
      `fold-${day}`,
    );
    const weights = Float64Array.from([...model.dense.weights, ...model.words.weights]);
    const index = new Map(model.words.vocabulary.map((w, i) => [w, i]));
    for (const p of papers) if (p.day === day) out.set(p, linearScore({ bias: model.bias, weights }, encodeFeatures(p.features, model.dense, index)));
  }
  return out;
}

/** The final model on every paper, calibrated by Platt scaling on the out-of-fold log-odds. */
export function trainSelectionModel(
  papers: readonly FeaturedPaper[],
  options: SelectionTrainingOptions,
  id: string,
): { model: SelectionModel; outOfFold: Map<FeaturedPaper, number> } {
  const outOfFold = leaveOneDayOut(papers, options);
  const scored = papers.filter((p) => outOfFold.has(p));
  const platt = fitPlatt(
    scored.map((p) => outOfFold.get(p)!),
    scored.map((p) => p.label),
  );
  const model = fitSelectionModel(papers, options, id);
  return { model: { ...model, platt: { a: Math.round(platt.a * 1e6) / 1e6, b: Math.round(platt.b * 1e6) / 1e6 } }, outOfFold };
}
