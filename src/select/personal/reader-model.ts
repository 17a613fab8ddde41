/**
 * A reader's own linear model over text features (arxiv-sanity-lite's per-user classifier): library
 * papers and saves are positives, papers marked "not interested" and a seeded sample of the day's
 * other papers are negatives. L2-regularised logistic regression (src/score/logistic-regression.ts)
 * over only the features these examples use, so training costs what the reader's papers cost, not
 * the day's vocabulary.
 */
import { trainLogistic, type SparseExample } from '../../score/logistic-regression.ts';
import type { SparseVector } from './text-features.ts';

export interface LabelledVector {
  vector: SparseVector;
  label: 0 | 1;
  /** How much the example counts (a recent addition more than an old one, a "not interested" more than a sampled paper). */
  weight: number;
}

export interface ReaderModelOptions {
  /** L2 penalty per example (tuned on the dev readers of the evaluation). */
  l2: number;
  iterations: number;
}

export const READER_MODEL_DEFAULTS: ReaderModelOptions = { l2: 0.01, iterations: 60 };

/** Feature id → weight of the trained model (features it never saw weigh 0). */
export interface ReaderModel {
  bias: number;
  features: Int32Array;
  weights: Float64Array;
}

export function trainReaderModel(examples: readonly LabelledVector[], options: ReaderModelOptions = READER_MODEL_DEFAULTS): ReaderModel {
  const local = new Map<number, number>();
  for (const { vector } of examples) for (const f of vector.ids) if (!local.has(f)) local.set(f, local.size);
  const encoded: SparseExample[] = examples.map(({ vector, label, weight }) => ({
    indices: Int32Array.from(vector.ids, (f) => local.get(f)!),
    values: Float64Array.from(vector.weights),
    label,
    weight,
  }));
  const model = trainLogistic(encoded, { dimensions: local.size, l2: options.l2, iterations: options.iterations });
  const features = new Int32Array(local.size);
  for (const [f, i] of local) features[i] = f;
  return { bias: model.bias, features, weights: Float64Array.from(model.weights) };
}
