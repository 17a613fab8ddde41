/**
 * A reader's own linear model over text features (arxiv-sanity-lite's per-user classifier, a linear
 * SVM): library papers and saves are positives, papers marked "not interested" and a seeded sample
 * of the day's other papers are negatives. L2-regularised squared-hinge-loss SVM solved by dual
 * coordinate descent (Hsieh et al., ICML 2008: liblinear's solver, which arxiv-sanity-lite's
 * scikit-learn LinearSVC runs): each pass costs the examples' non-zeros, so a reader's model costs
 * what their papers cost, never the day's vocabulary. Hand-written: the npm SVM packages (ml-svm,
 * svm, libsvm-js) take dense matrices or are emscripten builds of kernel SVMs.
 *
 * Features: the positives' features and those several negatives share (a sampled paper's own words
 * would only push that paper down).
 */
import { seededRandom } from '../../seeded-random.ts';
import type { SparseVector } from './text-features.ts';

export interface LabelledVector {
  vector: SparseVector;
  label: 0 | 1;
  /** How much the example counts (a recent addition more than an old one, a "not interested" more than a sampled paper). */
  weight: number;
}

export interface ReaderModelOptions {
  /** The SVM's C (per unit of example weight): larger fits the examples more closely. */
  c: number;
  /** Passes over the examples at most. */
  epochs: number;
  /** Features of no positive in fewer negatives than this are left out. */
  minExamples: number;
}

export const READER_MODEL_DEFAULTS: ReaderModelOptions = { c: 0.03, epochs: 20, minExamples: 2 };

/** Feature id → weight of the trained model (features it never saw weigh 0). */
export interface ReaderModel {
  bias: number;
  features: Int32Array;
  weights: Float64Array;
}

/** Stop when the projected gradient's spread over a pass falls below this (liblinear's default). */
const TOLERANCE = 0.1;

/**
 * `scratch` is a −1-filled array over the feature space (PreparedDay.localIds), used to number the
 * model's features and left −1-filled again.
 */
export function trainReaderModel(examples: readonly LabelledVector[], scratch: Int32Array, options: ReaderModelOptions = READER_MODEL_DEFAULTS): ReaderModel {
  // Count each feature's examples in the scratch (as −2, −3, …; positives count as many as needed),
  // then number the features kept: every feature of a positive, and others seen often enough.
  const seen: number[] = [];
  for (const { vector, label } of examples) {
    for (const f of vector.ids) {
      if (scratch[f] === -1) seen.push(f);
      scratch[f]! -= label === 1 ? options.minExamples : 1;
    }
  }
  const features: number[] = [];
  for (const f of seen) {
    if (-1 - scratch[f]! >= options.minExamples) {
      scratch[f] = features.length;
      features.push(f);
    } else scratch[f] = -1;
  }
  // Examples in local ids; the bias is one more feature, always 1 (liblinear's -B 1).
  const dims = features.length;
  const indices: Int32Array[] = [];
  const values: Float64Array[] = [];
  for (const { vector } of examples) {
    const ids: number[] = [];
    const xs: number[] = [];
    for (let j = 0; j < vector.ids.length; j += 1) {
      const local = scratch[vector.ids[j]!]!;
      if (local < 0) continue;
      ids.push(local);
      xs.push(vector.weights[j]!);
    }
    ids.push(dims);
    xs.push(1);
    indices.push(Int32Array.from(ids));
    values.push(Float64Array.from(xs));
  }
  for (const f of features) scratch[f] = -1;

  const n = examples.length;
  const w = new Float64Array(dims + 1);
  const alpha = new Float64Array(n);
  const y = Float64Array.from(examples, (e) => (e.label === 1 ? 1 : -1));
  const diagonal = Float64Array.from(examples, (e) => 1 / (2 * options.c * e.weight));
  const qii = Float64Array.from(values, (xs, i) => xs.reduce((sum, x) => sum + x * x, 0) + diagonal[i]!);
  const order = Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(n);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (const i of order) {
      const ids = indices[i]!;
      const xs = values[i]!;
      let wx = 0;
      for (let k = 0; k < ids.length; k += 1) wx += w[ids[k]!]! * xs[k]!;
      const g = y[i]! * wx - 1 + diagonal[i]! * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (Math.abs(pg) < 1e-12) continue;
      const before = alpha[i]!;
      alpha[i] = Math.max(before - g / qii[i]!, 0);
      const step = (alpha[i]! - before) * y[i]!;
      for (let k = 0; k < ids.length; k += 1) w[ids[k]!]! += step * xs[k]!;
    }
    if (maxPg - minPg < TOLERANCE) break;
  }
  return { bias: w[dims]!, features: Int32Array.from(features), weights: w.subarray(0, dims) };
}
