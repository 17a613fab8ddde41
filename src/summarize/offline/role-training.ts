/**
 * Training of the sentence-role model (role-model.ts): a linear-chain CRF (Lafferty, McCallum and
 * Pereira, ICML 2001) fitted by L-BFGS (Liu and Nocedal, 1989) to the L2-regularised negative
 * log-likelihood of labelled abstracts. Full-batch and free of randomness, so the same data and
 * options always give the same weights file, byte for byte.
 *
 * Used by scripts/train-role-classifier.ts; nothing here runs when summarising.
 */
import { seededRandom } from '../../seeded-random.ts';
import {
  abstractFeatures,
  DEFAULT_FEATURE_CONFIG,
  denseAbstractFeatures,
  ROLE_LABELS,
  type RoleFeatureConfig,
  type RoleLabel,
} from './role-features.ts';
import { ROLE_MODEL_FORMAT, type RoleModelWeights } from './role-model.ts';
import type { WordVectors } from './word-vectors.ts';

export interface LabelledSentences {
  sentences: readonly string[];
  labels: readonly RoleLabel[];
}

export interface CrfTrainingOptions {
  /** L2 penalty λ in λ/2·‖θ‖². */
  l2: number;
  /** L2 penalty of the dense (word-vector) weights, on standardised features; default: l2. */
  denseL2?: number;
  /** Dense weights are stored as integers: round(weight × denseScale). */
  denseScale?: number;
  /** Hidden tanh units over the dense features (0: none); their weights are penalised by denseL2. */
  hidden?: number;
  /** Seed of the hidden layer's initial weights. */
  seed?: number;
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

export interface EncodedAbstract {
  /** Per sentence, the indices of its known features. */
  features: Int32Array[];
  /** Per sentence, its standardised dense features (empty arrays when there are none). */
  dense: Float64Array[];
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
 * Parameter layout: F×K emission weights, then D×K dense weights, then the hidden layer (H×D
 * input weights, H biases, and 3×H×K output weights: a sentence's hidden units score its own label,
 * the next sentence's and the previous sentence's), then K×K transitions (from × K + to), then K
 * start and K end weights.
 */
export class CrfObjective {
  readonly dimension: number;
  readonly denseOffset: number;
  readonly hiddenOffset: number;
  readonly transitionOffset: number;
  private readonly startOffset: number;
  private readonly endOffset: number;

  constructor(
    private readonly data: readonly EncodedAbstract[],
    featureCount: number,
    private readonly denseCount: number,
    private readonly hidden: number,
    private readonly l2: number,
    private readonly denseL2: number,
  ) {
    this.denseOffset = featureCount * K;
    this.hiddenOffset = this.denseOffset + denseCount * K;
    this.transitionOffset = this.hiddenOffset + hidden * denseCount + hidden + 3 * hidden * K;
    this.startOffset = this.transitionOffset + K * K;
    this.endOffset = this.startOffset + K;
    this.dimension = this.endOffset + K;
  }

  /** Loss at θ; writes the gradient into `gradient`. */
  evaluate(theta: Float64Array, gradient: Float64Array): number {
    gradient.fill(0);
    let loss = 0;
    const { transitionOffset: tr, startOffset: st, endOffset: en, denseOffset: de, denseCount: D, hidden: H, hiddenOffset: ho } = this;
    const hb = ho + H * D; // hidden biases
    const hv = hb + H; // output weights: [self, next, previous] × H × K
    const terms = new Float64Array(K);
    const delta = new Float64Array(H);
    for (const abstract of this.data) {
      const n = abstract.labels.length;
      if (n === 0) continue;
      // Hidden units: h = tanh(U·x + b).
      const hiddenUnits = abstract.dense.map((x) => {
        const h = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          let a = theta[hb + j] as number;
          const row = ho + j * D;
          for (let d = 0; d < D; d++) a += (theta[row + d] as number) * (x[d] as number);
          h[j] = Math.tanh(a);
        }
        return h;
      });
      const emissions = abstract.features.map((indices, t) => {
        const scores = new Float64Array(K);
        for (const f of indices) for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + (theta[f * K + k] as number);
        const dense = abstract.dense[t] as Float64Array;
        for (let d = 0; d < D; d++) {
          const x = dense[d] as number;
          const base = de + d * K;
          for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + x * (theta[base + k] as number);
        }
        if (H > 0) {
          addHiddenScores(theta, hv, H, hiddenUnits[t] as Float64Array, 0, scores);
          if (t > 0) addHiddenScores(theta, hv, H, hiddenUnits[t - 1] as Float64Array, 1, scores);
          if (t + 1 < n) addHiddenScores(theta, hv, H, hiddenUnits[t + 1] as Float64Array, 2, scores);
        }
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

      // Gold path score; transition and start/end counts (empirical subtracted, expected added).
      const labels = abstract.labels;
      let gold = (theta[st + (labels[0] as number)] as number) + (theta[en + (labels[n - 1] as number)] as number);
      gradient[st + (labels[0] as number)] = (gradient[st + (labels[0] as number)] as number) - 1;
      gradient[en + (labels[n - 1] as number)] = (gradient[en + (labels[n - 1] as number)] as number) - 1;
      // Per sentence, d loss / d emission score: marginal minus gold indicator.
      const emissionGradients = emissions.map(() => new Float64Array(K));
      for (let t = 0; t < n; t++) {
        const y = labels[t] as number;
        gold += (emissions[t] as Float64Array)[y] as number;
        if (t > 0) {
          const from = labels[t - 1] as number;
          gold += theta[tr + from * K + y] as number;
          gradient[tr + from * K + y] = (gradient[tr + from * K + y] as number) - 1;
        }
        const a = alpha[t] as Float64Array;
        const b = beta[t] as Float64Array;
        const g = emissionGradients[t] as Float64Array;
        for (let k = 0; k < K; k++) {
          const p = Math.exp((a[k] as number) + (b[k] as number) - logZ);
          g[k] = p - (k === y ? 1 : 0);
          if (t === 0) gradient[st + k] = (gradient[st + k] as number) + p;
          if (t === n - 1) gradient[en + k] = (gradient[en + k] as number) + p;
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
      loss += logZ - gold;

      // Back-propagate the emission gradients to the feature weights and the hidden layer.
      for (let t = 0; t < n; t++) {
        const g = emissionGradients[t] as Float64Array;
        for (const f of abstract.features[t] as Int32Array) {
          for (let k = 0; k < K; k++) gradient[f * K + k] = (gradient[f * K + k] as number) + (g[k] as number);
        }
        const dense = abstract.dense[t] as Float64Array;
        for (let d = 0; d < D; d++) {
          const x = dense[d] as number;
          if (x === 0) continue;
          const base = de + d * K;
          for (let k = 0; k < K; k++) gradient[base + k] = (gradient[base + k] as number) + x * (g[k] as number);
        }
        if (H === 0) continue;
        // Sentence t's hidden units feed its own scores (slot 0), the next sentence's (slot 1) and the previous one's (slot 2).
        const h = hiddenUnits[t] as Float64Array;
        delta.fill(0);
        const uses: Array<[number, Float64Array | undefined]> = [
          [0, g],
          [1, emissionGradients[t + 1]],
          [2, emissionGradients[t - 1]],
        ];
        for (const [slot, target] of uses) {
          if (target === undefined) continue;
          const base = hv + slot * H * K;
          for (let j = 0; j < H; j++) {
            const hj = h[j] as number;
            let back = 0;
            for (let k = 0; k < K; k++) {
              const gk = target[k] as number;
              gradient[base + j * K + k] = (gradient[base + j * K + k] as number) + hj * gk;
              back += gk * (theta[base + j * K + k] as number);
            }
            delta[j] = (delta[j] as number) + back;
          }
        }
        for (let j = 0; j < H; j++) {
          const hj = h[j] as number;
          const dj = (delta[j] as number) * (1 - hj * hj);
          if (dj === 0) continue;
          gradient[hb + j] = (gradient[hb + j] as number) + dj;
          const row = ho + j * D;
          for (let d = 0; d < D; d++) gradient[row + d] = (gradient[row + d] as number) + dj * (dense[d] as number);
        }
      }
    }
    let penalty = 0;
    const denseEnd = tr;
    for (let i = 0; i < theta.length; i++) {
      const w = theta[i] as number;
      const l2 = i >= de && i < denseEnd ? this.denseL2 : this.l2;
      penalty += l2 * w * w;
      gradient[i] = (gradient[i] as number) + l2 * w;
    }
    return loss + penalty / 2;
  }
}

/** scores += hidden · V[slot] (V: H × K per slot, from `offset`). */
function addHiddenScores(theta: Float64Array, offset: number, H: number, h: Float64Array, slot: number, scores: Float64Array): void {
  const base = offset + slot * H * K;
  for (let j = 0; j < H; j++) {
    const hj = h[j] as number;
    for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + hj * (theta[base + j * K + k] as number);
  }
}

/** Deterministic uniform numbers in [-1, 1) (mulberry32), for the hidden layer's initial weights. */
function seededUniform(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() * 2 - 1;
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
  vectors?: WordVectors,
): RoleModelWeights {
  const featureLists = data.map((abstract) => abstractFeatures(abstract.sentences, options.featureConfig));
  const standardised = standardisedDense(data, options.featureConfig, vectors);
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
    dense: standardised?.features[a] ?? (featureLists[a] ?? []).map(() => new Float64Array(0)),
    labels: Int8Array.from(abstract.labels, (label) => LABEL_INDEX.get(label) ?? 0),
  }));
  const denseCount = standardised?.mean.length ?? 0;
  const hidden = denseCount > 0 ? (options.hidden ?? 0) : 0;
  const objective = new CrfObjective(encoded, names.length, denseCount, hidden, options.l2, options.denseL2 ?? options.l2);
  const theta = new Float64Array(objective.dimension);
  if (hidden > 0) {
    // Input weights uniform with variance 1/D, so on standardised inputs the units start unsaturated.
    const uniform = seededUniform(options.seed ?? 1);
    const range = Math.sqrt(3 / denseCount);
    for (let i = 0; i < hidden * denseCount; i++) theta[objective.hiddenOffset + i] = uniform() * range;
  }
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
  const transitionOffset = objective.transitionOffset;
  let dense: RoleModelWeights['dense'];
  if (standardised !== undefined) {
    // Fold the standardisation into the weights, so inference is a plain dot product with the raw
    // features: Σ θ(x − μ)/σ = Σ (θ/σ)x − Σ θμ/σ.
    const denseScale = options.denseScale ?? 10000;
    const weights: number[] = [];
    const bias = new Float64Array(K);
    for (let d = 0; d < denseCount; d++) {
      const mu = standardised.mean[d] as number;
      const sigma = standardised.deviation[d] as number;
      for (let k = 0; k < K; k++) {
        const w = (theta[(names.length + d) * K + k] as number) / sigma;
        weights.push(Math.round(w * denseScale) + 0);
        bias[k] = (bias[k] as number) - w * mu;
      }
    }
    dense = { dimensions: denseCount, scale: denseScale, bias: Array.from(bias, (b) => Math.round(b * denseScale) + 0), weights };
    if (hidden > 0) {
      // Same folding for the hidden layer's inputs: U(x − μ)/σ + b = (U/σ)x + (b − Σ Uμ/σ).
      const ho = objective.hiddenOffset;
      const input: number[] = [];
      const hiddenBias: number[] = [];
      for (let j = 0; j < hidden; j++) {
        let b = theta[ho + hidden * denseCount + j] as number;
        for (let d = 0; d < denseCount; d++) {
          const u = (theta[ho + j * denseCount + d] as number) / (standardised.deviation[d] as number);
          input.push(Math.round(u * denseScale) + 0);
          b -= u * (standardised.mean[d] as number);
        }
        hiddenBias.push(Math.round(b * denseScale) + 0);
      }
      const outputStart = ho + hidden * denseCount + hidden;
      const output = Array.from(theta.subarray(outputStart, outputStart + 3 * hidden * K), (v) => Math.round(v * denseScale) + 0);
      dense.hidden = { units: hidden, input, bias: hiddenBias, output };
    }
  }
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
    ...(dense === undefined ? {} : { dense }),
    meta: {
      ...meta,
      finalLoss: Number(loss.toFixed(3)),
      l2: options.l2,
      ...(dense === undefined ? {} : { denseL2: options.denseL2 ?? options.l2, hidden, seed: options.seed ?? 1 }),
      minFeatureCount: options.minFeatureCount,
      featuresTrained: names.length,
      pruneBelow: options.pruneBelow,
    },
  };
}

/** Dense features of every training sentence, standardised per component (mean 0, deviation 1). */
function standardisedDense(
  data: readonly LabelledSentences[],
  config: RoleFeatureConfig,
  vectors: WordVectors | undefined,
): { features: Float64Array[][]; mean: Float64Array; deviation: Float64Array } | undefined {
  if ((config.dense ?? []).length === 0) return undefined;
  if (vectors === undefined) throw new Error('dense features need word vectors');
  const features = data.map((abstract) => denseAbstractFeatures(abstract.sentences, config, vectors) ?? []);
  const D = (config.dense ?? []).length * vectors.dimensions;
  const mean = new Float64Array(D);
  const deviation = new Float64Array(D);
  let count = 0;
  for (const abstract of features) {
    for (const x of abstract) {
      count++;
      for (let d = 0; d < D; d++) mean[d] = (mean[d] as number) + (x[d] as number);
    }
  }
  for (let d = 0; d < D; d++) mean[d] = (mean[d] as number) / Math.max(1, count);
  for (const abstract of features) {
    for (const x of abstract) {
      for (let d = 0; d < D; d++) deviation[d] = (deviation[d] as number) + ((x[d] as number) - (mean[d] as number)) ** 2;
    }
  }
  for (let d = 0; d < D; d++) deviation[d] = Math.sqrt((deviation[d] as number) / Math.max(1, count)) || 1;
  for (const abstract of features) {
    for (const x of abstract) for (let d = 0; d < D; d++) x[d] = ((x[d] as number) - (mean[d] as number)) / (deviation[d] as number);
  }
  return { features, mean, deviation };
}
