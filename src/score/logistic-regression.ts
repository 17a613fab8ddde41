/**
 * L2-regularised logistic regression over sparse examples, and Platt scaling (the same model in one
 * dimension). Hand-written because the features are a few thousand sparse word indicators beside a
 * few dense ones: the maintained npm packages (ml-logistic-regression) take dense matrices and have no
 * regularisation, which on 270 positives would over-fit every rare word. Minimised by the project's
 * L-BFGS (also used for the sentence-role model) from zero weights, in a fixed order: the same data
 * always gives the same weights.
 */
import { minimiseLbfgs } from '../summarize/offline/role-training.ts';

export interface SparseExample {
  indices: Int32Array;
  values: Float64Array;
  /** 1 when researchers picked the paper, else 0. */
  label: number;
}

export interface LogisticOptions {
  dimensions: number;
  /** L2 penalty on the weights (not the bias), per example. */
  l2: number;
  /** L-BFGS iterations at most. */
  iterations?: number;
}

export interface LinearModel {
  bias: number;
  weights: Float64Array;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function linearScore(model: LinearModel, example: Pick<SparseExample, 'indices' | 'values'>): number {
  let z = model.bias;
  for (let i = 0; i < example.indices.length; i += 1) z += model.weights[example.indices[i]!]! * example.values[i]!;
  return z;
}

export function trainLogistic(examples: readonly SparseExample[], options: LogisticOptions): LinearModel {
  const { dimensions, l2 } = options;
  const n = Math.max(1, examples.length);
  // x holds the weights, then the bias.
  const x = new Float64Array(dimensions + 1);
  const objective = (point: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    const model = { bias: point[dimensions]!, weights: point };
    let loss = 0;
    for (const example of examples) {
      const z = linearScore(model, example);
      // log(1 + e^z) − y·z, computed without overflow.
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - example.label * z;
      const error = sigmoid(z) - example.label;
      for (let i = 0; i < example.indices.length; i += 1) gradient[example.indices[i]!]! += (error * example.values[i]!) / n;
      gradient[dimensions]! += error / n;
    }
    loss /= n;
    for (let j = 0; j < dimensions; j += 1) {
      loss += (l2 / 2) * point[j]! ** 2;
      gradient[j]! += l2 * point[j]!;
    }
    return loss;
  };
  minimiseLbfgs(objective, x, options.iterations ?? 200);
  return { bias: x[dimensions]!, weights: x.subarray(0, dimensions) };
}

export interface PlattScaling {
  a: number;
  b: number;
}

/** Fits P(pick | score) = sigmoid(a × score + b) on out-of-fold scores (Platt, 1999). */
export function fitPlatt(scores: readonly number[], labels: readonly number[]): PlattScaling {
  const examples = scores.map((s, i) => ({ indices: Int32Array.of(0), values: Float64Array.of(s), label: labels[i]! }));
  const fitted = trainLogistic(examples, { dimensions: 1, l2: 0, iterations: 100 });
  return { a: fitted.weights[0]!, b: fitted.bias };
}

export function applyPlatt(platt: PlattScaling, score: number): number {
  return sigmoid(platt.a * score + platt.b);
}
