/**
 * Training of the sentence-role model (role-model.ts): a linear-chain CRF (Lafferty, McCallum and
 * Pereira, ICML 2001) fitted by L-BFGS (Liu and Nocedal, 1989) to the L2-regularised negative
 * log-likelihood of labelled abstracts. Full-batch and free of randomness, so the same data and
 * options always give the same weights file, byte for byte.
 *
 * Used by scripts/train-role-classifier.ts; nothing here runs when summarising.
 */
import {
  abstractFeatures,
  DEFAULT_FEATURE_CONFIG,
  ROLE_LABELS,
  type RoleFeatureConfig,
  type RoleLabel,
} from './role-features.ts';
import { ROLE_MODEL_FORMAT, type RoleModelWeights } from './role-model.ts';

export interface LabelledSentences {
  sentences: readonly string[];
  labels: readonly RoleLabel[];
}

export interface CrfTrainingOptions {
  /** L2 penalty λ in λ/2·‖θ‖². */
  l2: number;
  /** Features seen in fewer training sentences than this are dropped (smaller file, less noise). */
  minFeatureCount: number;
  maxIterations: number;
  featureConfig: RoleFeatureConfig;
  /** Weights are stored as integers: round(weight × scale). */
  scale: number;
  /**
   * Features whose largest absolute weight is below this are left out of the file (a smaller file;
   * on the train split the pruned model agrees with the full one on about 99.5% of sentences).
   */
  pruneBelow: number;
  /** Progress lines (iteration, loss); silent when absent. */
  log?: (line: string) => void;
}

export const DEFAULT_CRF_OPTIONS: CrfTrainingOptions = {
  l2: 1,
  minFeatureCount: 2,
  maxIterations: 250,
  featureConfig: DEFAULT_FEATURE_CONFIG,
  scale: 100,
  pruneBelow: 0.04,
};

const K = ROLE_LABELS.length;
const LABEL_INDEX = new Map<RoleLabel, number>(ROLE_LABELS.map((label, index) => [label, index]));

interface EncodedAbstract {
  /** Per sentence, the indices of its known features. */
  features: Int32Array[];
  labels: Int8Array;
}

function logSumExp(values: Float64Array, length = values.length): number {
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, values[i] as number);
  if (max === -Infinity) return max;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/**
 * Parameter layout: F×K emission weights, then K×K transitions (from × K + to), then K start and
 * K end weights.
 */
class CrfObjective {
  readonly dimension: number;
  private readonly transitionOffset: number;
  private readonly startOffset: number;
  private readonly endOffset: number;

  constructor(
    private readonly data: readonly EncodedAbstract[],
    featureCount: number,
    private readonly l2: number,
  ) {
    this.transitionOffset = featureCount * K;
    this.startOffset = this.transitionOffset + K * K;
    this.endOffset = this.startOffset + K;
    this.dimension = this.endOffset + K;
  }

  /** Loss at θ; writes the gradient into `gradient`. */
  evaluate(theta: Float64Array, gradient: Float64Array): number {
    gradient.fill(0);
    let loss = 0;
    const { transitionOffset: tr, startOffset: st, endOffset: en } = this;
    const terms = new Float64Array(K);
    for (const abstract of this.data) {
      const n = abstract.labels.length;
      if (n === 0) continue;
      const emissions = abstract.features.map((indices) => {
        const scores = new Float64Array(K);
        for (const f of indices) for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + (theta[f * K + k] as number);
        return scores;
      });
      const alpha = emissions.map(() => new Float64Array(K));
      const beta = emissions.map(() => new Float64Array(K));
      for (let k = 0; k < K; k++) (alpha[0] as Float64Array)[k] = (theta[st + k] as number) + ((emissions[0] as Float64Array)[k] as number);
      for (let t = 1; t < n; t++) {
        for (let to = 0; to < K; to++) {
          for (let from = 0; from < K; from++) terms[from] = ((alpha[t - 1] as Float64Array)[from] as number) + (theta[tr + from * K + to] as number);
          (alpha[t] as Float64Array)[to] = logSumExp(terms) + ((emissions[t] as Float64Array)[to] as number);
        }
      }
      for (let k = 0; k < K; k++) (beta[n - 1] as Float64Array)[k] = theta[en + k] as number;
      for (let t = n - 2; t >= 0; t--) {
        for (let from = 0; from < K; from++) {
          for (let to = 0; to < K; to++) {
            terms[to] =
              (theta[tr + from * K + to] as number) +
              ((emissions[t + 1] as Float64Array)[to] as number) +
              ((beta[t + 1] as Float64Array)[to] as number);
          }
          (beta[t] as Float64Array)[from] = logSumExp(terms);
        }
      }
      const final = new Float64Array(K);
      for (let k = 0; k < K; k++) final[k] = ((alpha[n - 1] as Float64Array)[k] as number) + (theta[en + k] as number);
      const logZ = logSumExp(final);

      // Gold path score, and empirical counts (subtracted from the gradient).
      const labels = abstract.labels;
      let gold = (theta[st + (labels[0] as number)] as number) + (theta[en + (labels[n - 1] as number)] as number);
      gradient[st + (labels[0] as number)] = (gradient[st + (labels[0] as number)] as number) - 1;
      gradient[en + (labels[n - 1] as number)] = (gradient[en + (labels[n - 1] as number)] as number) - 1;
      for (let t = 0; t < n; t++) {
        const y = labels[t] as number;
        gold += (emissions[t] as Float64Array)[y] as number;
        for (const f of abstract.features[t] as Int32Array) gradient[f * K + y] = (gradient[f * K + y] as number) - 1;
        if (t > 0) {
          const from = labels[t - 1] as number;
          gold += theta[tr + from * K + y] as number;
          gradient[tr + from * K + y] = (gradient[tr + from * K + y] as number) - 1;
        }
      }
      loss += logZ - gold;

      // Expected counts under the model.
      for (let t = 0; t < n; t++) {
        const a = alpha[t] as Float64Array;
        const b = beta[t] as Float64Array;
        for (let k = 0; k < K; k++) {
          const p = Math.exp((a[k] as number) + (b[k] as number) - logZ);
          if (t === 0) gradient[st + k] = (gradient[st + k] as number) + p;
          if (t === n - 1) gradient[en + k] = (gradient[en + k] as number) + p;
          for (const f of abstract.features[t] as Int32Array) gradient[f * K + k] = (gradient[f * K + k] as number) + p;
        }
        if (t === 0) continue;
        const previous = alpha[t - 1] as Float64Array;
        const emission = emissions[t] as Float64Array;
        for (let from = 0; from < K; from++) {
          for (let to = 0; to < K; to++) {
            const p = Math.exp(
              (previous[from] as number) + (theta[tr + from * K + to] as number) + (emission[to] as number) + (b[to] as number) - logZ,
            );
            gradient[tr + from * K + to] = (gradient[tr + from * K + to] as number) + p;
          }
        }
      }
    }
    let penalty = 0;
    for (let i = 0; i < theta.length; i++) {
      const w = theta[i] as number;
      penalty += w * w;
      gradient[i] = (gradient[i] as number) + this.l2 * w;
    }
    return loss + (this.l2 / 2) * penalty;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search; minimises `objective` from `x`
 * (updated in place). Stops after `maxIterations` or when the relative loss change is below 1e-7.
 */
export function minimiseLbfgs(
  objective: (x: Float64Array, gradient: Float64Array) => number,
  x: Float64Array,
  maxIterations: number,
  log?: (line: string) => void,
  memory = 10,
): number {
  const n = x.length;
  let gradient = new Float64Array(n);
  let loss = objective(x, gradient);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alphas = new Float64Array(memory);
  let candidate = new Float64Array(n);
  let candidateGradient = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    // Two-loop recursion: direction = -H·g.
    for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
    for (let j = sHistory.length - 1; j >= 0; j--) {
      const a = (rhoHistory[j] as number) * dot(sHistory[j] as Float64Array, direction);
      alphas[j] = a;
      const y = yHistory[j] as Float64Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) - a * (y[i] as number);
    }
    if (sHistory.length > 0) {
      const s = sHistory.at(-1) as Float64Array;
      const y = yHistory.at(-1) as Float64Array;
      const gamma = dot(s, y) / dot(y, y);
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) * gamma;
    }
    for (let j = 0; j < sHistory.length; j++) {
      const b = (rhoHistory[j] as number) * dot(yHistory[j] as Float64Array, direction);
      const s = sHistory[j] as Float64Array;
      const a = alphas[j] as number;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] as number) + (a - b) * (s[i] as number);
    }
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction: restart from steepest descent.
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
      slope = dot(gradient, direction);
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
    }
    let step = sHistory.length === 0 ? 1 / Math.sqrt(dot(gradient, gradient)) : 1;
    let candidateLoss = Infinity;
    for (let attempt = 0; attempt < 40; attempt++) {
      for (let i = 0; i < n; i++) candidate[i] = (x[i] as number) + step * (direction[i] as number);
      candidateLoss = objective(candidate, candidateGradient);
      if (candidateLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(candidateLoss < loss)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (candidate[i] as number) - (x[i] as number);
      y[i] = (candidateGradient[i] as number) - (gradient[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-10) {
      if (sHistory.length === memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }
    const change = Math.abs(loss - candidateLoss) / Math.max(1, Math.abs(loss));
    x.set(candidate);
    [gradient, candidateGradient] = [candidateGradient, gradient];
    candidate = new Float64Array(n);
    loss = candidateLoss;
    if (log !== undefined && (iteration % 25 === 0 || change < 1e-7)) log(`  iteration ${iteration}: loss ${loss.toFixed(3)}`);
    if (change < 1e-7) break;
  }
  return loss;
}

/** Trains a CRF on labelled abstracts and returns the weights file content. */
export function trainRoleCrf(
  data: readonly LabelledSentences[],
  options: CrfTrainingOptions = DEFAULT_CRF_OPTIONS,
  meta: Record<string, unknown> = {},
): RoleModelWeights {
  const featureLists = data.map((abstract) => abstractFeatures(abstract.sentences, options.featureConfig));
  const counts = new Map<string, number>();
  for (const abstract of featureLists) {
    for (const sentence of abstract) for (const feature of sentence) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  }
  // Sorted names: the feature order, hence the optimisation and the file, never depend on Map order.
  const names = [...counts.entries()]
    .filter(([, count]) => count >= options.minFeatureCount)
    .map(([name]) => name)
    .sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const encoded: EncodedAbstract[] = data.map((abstract, a) => ({
    features: (featureLists[a] ?? []).map((sentence) =>
      Int32Array.from(sentence.map((feature) => index.get(feature) ?? -1).filter((i) => i >= 0)),
    ),
    labels: Int8Array.from(abstract.labels, (label) => LABEL_INDEX.get(label) ?? 0),
  }));
  const objective = new CrfObjective(encoded, names.length, options.l2);
  const theta = new Float64Array(objective.dimension);
  options.log?.(`training CRF: ${data.length} abstracts, ${names.length} features, l2 ${options.l2}`);
  const loss = minimiseLbfgs((x, g) => objective.evaluate(x, g), theta, options.maxIterations, options.log);

  const scale = options.scale;
  const round = (value: number): number => Math.round(value * scale) + 0; // + 0 turns -0 into 0
  const featureNames: string[] = [];
  const featureWeights: number[] = [];
  names.forEach((name, i) => {
    const raw = Array.from({ length: K }, (_, k) => theta[i * K + k] as number);
    if (Math.max(...raw.map(Math.abs)) < options.pruneBelow) return;
    const weights = raw.map(round);
    if (weights.every((w) => w === 0)) return;
    featureNames.push(name);
    featureWeights.push(...weights);
  });
  const transitionOffset = names.length * K;
  return {
    format: ROLE_MODEL_FORMAT,
    labels: [...ROLE_LABELS],
    featureConfig: options.featureConfig,
    scale,
    start: Array.from({ length: K }, (_, k) => round(theta[transitionOffset + K * K + k] as number)),
    end: Array.from({ length: K }, (_, k) => round(theta[transitionOffset + K * K + K + k] as number)),
    transitions: Array.from({ length: K }, (_, from) =>
      Array.from({ length: K }, (_, to) => round(theta[transitionOffset + from * K + to] as number)),
    ),
    featureNames,
    featureWeights,
    meta: {
      ...meta,
      finalLoss: Number(loss.toFixed(3)),
      l2: options.l2,
      minFeatureCount: options.minFeatureCount,
      featuresTrained: names.length,
      pruneBelow: options.pruneBelow,
    },
  };
}
