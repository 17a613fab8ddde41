/**
 * The trained sentence-role model: a linear-chain conditional random field over the sentences of
 * an abstract (features: role-features.ts; trained on the CSAbstruct train split by
 * scripts/train-role-classifier.ts). Labels come from Viterbi decoding over the label
 * transitions; per-sentence role probabilities from forward-backward.
 *
 * Optionally (featureConfig.dense: tried, not shipped, see docs/quality.md) emissions also get dense
 * features from pretrained word vectors, linearly and through a small tanh layer.
 *
 * The weights live in assets/models/sentence-roles.json and are read once, on first use.
 * Everything here is deterministic: same sentences, same roles and probabilities.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  denseAbstractFeatures,
  ROLE_LABELS,
  roleTokens,
  visitSentenceFeatures,
  type RoleFeatureConfig,
  type RoleLabel,
} from './role-features.ts';
import { defaultWordVectors, type WordVectors } from './word-vectors.ts';

export const ROLE_MODEL_FORMAT = 'papersift-sentence-roles/1';

/** The weights file. Weights are integers; divide by `scale` to get the real value. */
export interface RoleModelWeights {
  format: typeof ROLE_MODEL_FORMAT;
  labels: RoleLabel[];
  featureConfig: RoleFeatureConfig;
  scale: number;
  /** Score of starting / ending an abstract with each label. */
  start: number[];
  end: number[];
  /** transitions[from][to]. */
  transitions: number[][];
  /** Feature names (`type=key`, see role-features.ts), sorted. */
  featureNames: string[];
  /** K weights per feature, in featureNames order then label order (flat: parses fast). */
  featureWeights: number[];
  /**
   * Weights of the dense word-vector features (featureConfig.dense), present when there are any:
   * `dimensions` × K integer weights (divide by `scale`) in component then label order, and K biases.
   */
  dense?: {
    dimensions: number;
    scale: number;
    bias: number[];
    weights: number[];
    /**
     * Hidden tanh layer over the same features (also divided by `scale`): `units` × dimensions input
     * weights, `units` biases, and 3 × units × K output weights: a sentence's units score its own
     * labels (slot 0), the next sentence's (slot 1) and the previous sentence's (slot 2).
     */
    hidden?: { units: number; input: number[]; bias: number[]; output: number[] };
  };
  /** Provenance: data, hyper-parameters, cross-validation figures. Not read by inference. */
  meta?: Record<string, unknown>;
}

export const DEFAULT_ROLE_MODEL_PATH = fileURLToPath(new URL('../../../assets/models/sentence-roles.json', import.meta.url));

export interface RolePrediction {
  /** Viterbi (most probable) label sequence. */
  labels: RoleLabel[];
  /** Per sentence, the marginal probability of each label, in ROLE_LABELS order. */
  probabilities: number[][];
}

const K = ROLE_LABELS.length;

/** Feature types whose key is a pair of tokens (see role-features.ts). */
const PAIR_TYPES: ReadonlySet<string> = new Set(['b', 'f2', 'p:f2', 'n:f2']);

function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  if (max === -Infinity) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

export class RoleModel {
  readonly featureConfig: RoleFeatureConfig;
  /** Feature lookup without building name strings: type → key → offset, and type → a → b → offset for pairs. */
  private readonly singles = new Map<string, Map<string, number>>();
  private readonly pairs = new Map<string, Map<string, Map<string, number>>>();
  private readonly count: number;
  /** Per feature, the last sentence (stamp) it counted for: each feature counts once per sentence. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  private readonly emissionWeights: Float64Array;
  private readonly start: Float64Array;
  private readonly end: Float64Array;
  /** transitions[from * K + to]. */
  private readonly transitions: Float64Array;
  private readonly denseWeights: Float64Array | undefined;
  private readonly denseBias: Float64Array | undefined;
  private readonly hiddenUnits: number = 0;
  private readonly hiddenInput: Float64Array = new Float64Array(0);
  private readonly hiddenBias: Float64Array = new Float64Array(0);
  private readonly hiddenOutput: Float64Array = new Float64Array(0);
  private readonly vectors: WordVectors | undefined;

  /**
   * `vectors`: the word vectors a model with dense features reads (default: assets/models/word-vectors.json,
   * not in the repository while no shipped model needs it). Ignored by a model without them.
   */
  constructor(weights: RoleModelWeights, vectors?: WordVectors) {
    if (weights.format !== ROLE_MODEL_FORMAT) throw new Error(`unknown role model format: ${String(weights.format)}`);
    if (weights.labels.length !== K || weights.labels.some((label, i) => label !== ROLE_LABELS[i])) {
      throw new Error(`role model labels must be ${ROLE_LABELS.join(', ')}`);
    }
    const scale = weights.scale;
    const vector = (values: readonly number[], length: number, what: string): Float64Array => {
      if (values.length !== length) throw new Error(`role model: ${what} needs ${length} weights`);
      return Float64Array.from(values, (value) => value / scale);
    };
    this.featureConfig = weights.featureConfig;
    this.start = vector(weights.start, K, 'start');
    this.end = vector(weights.end, K, 'end');
    this.transitions = vector(weights.transitions.flat(), K * K, 'transitions');
    const names = weights.featureNames;
    if (weights.featureWeights.length !== names.length * K) {
      throw new Error(`role model: ${names.length} features need ${names.length * K} weights`);
    }
    this.emissionWeights = new Float64Array(weights.featureWeights.length);
    for (let i = 0; i < weights.featureWeights.length; i++) this.emissionWeights[i] = (weights.featureWeights[i] as number) / scale;
    names.forEach((name, index) => this.index(name, index * K));
    this.count = names.length;
    this.seen = new Uint32Array(names.length);
    const blocks = weights.featureConfig.dense ?? [];
    if (blocks.length > 0) {
      const dense = weights.dense;
      if (dense === undefined) throw new Error('role model: dense features configured but no dense weights');
      this.vectors = vectors ?? defaultWordVectors();
      if (dense.dimensions !== blocks.length * this.vectors.dimensions || dense.weights.length !== dense.dimensions * K) {
        throw new Error(`role model: dense weights do not match ${blocks.length} blocks of ${this.vectors.dimensions}-d vectors`);
      }
      this.denseWeights = Float64Array.from(dense.weights, (w) => w / dense.scale);
      if (dense.bias.length !== K) throw new Error(`role model: dense bias needs ${K} weights`);
      this.denseBias = Float64Array.from(dense.bias, (b) => b / dense.scale);
      const hidden = dense.hidden;
      if (hidden !== undefined) {
        const H = hidden.units;
        if (hidden.input.length !== H * dense.dimensions || hidden.bias.length !== H || hidden.output.length !== 3 * H * K) {
          throw new Error(`role model: hidden layer of ${H} units has the wrong number of weights`);
        }
        this.hiddenUnits = H;
        this.hiddenInput = Float64Array.from(hidden.input, (w) => w / dense.scale);
        this.hiddenBias = Float64Array.from(hidden.bias, (w) => w / dense.scale);
        this.hiddenOutput = Float64Array.from(hidden.output, (w) => w / dense.scale);
      }
    }
  }

  /** Files a feature name (`type=key` or, for pair types, `type=a_b`) under its lookup path. */
  private index(name: string, offset: number): void {
    const equals = name.indexOf('=');
    if (equals === -1) throw new Error(`role model: malformed feature name ${name}`);
    const type = name.slice(0, equals);
    const key = name.slice(equals + 1);
    const underscore = key.indexOf('_');
    if (PAIR_TYPES.has(type) && underscore !== -1) {
      let byFirst = this.pairs.get(type);
      if (byFirst === undefined) this.pairs.set(type, (byFirst = new Map()));
      const first = key.slice(0, underscore);
      let bySecond = byFirst.get(first);
      if (bySecond === undefined) byFirst.set(first, (bySecond = new Map()));
      bySecond.set(key.slice(underscore + 1), offset);
      return;
    }
    let byKey = this.singles.get(type);
    if (byKey === undefined) this.singles.set(type, (byKey = new Map()));
    byKey.set(key, offset);
  }

  get featureCount(): number {
    return this.count;
  }

  /** Per sentence, the unnormalised score of each label (ROLE_LABELS order) from its own features. */
  emissionScores(sentences: readonly string[]): number[][] {
    return this.emissions(sentences).map((scores) => Array.from(scores));
  }

  private emissions(sentences: readonly string[]): Float64Array[] {
    const tokenised = sentences.map(roleTokens);
    const weights = this.emissionWeights;
    const dense = this.vectors === undefined ? undefined : denseAbstractFeatures(sentences, this.featureConfig, this.vectors);
    const hidden = dense === undefined || this.hiddenUnits === 0 ? undefined : dense.map((x) => this.hiddenLayer(x));
    return sentences.map((sentence, index) => {
      const scores = new Float64Array(K);
      if (dense !== undefined) this.addDense(dense[index] as Float64Array, scores);
      if (hidden !== undefined) {
        this.addHidden(hidden[index] as Float64Array, 0, scores);
        if (index > 0) this.addHidden(hidden[index - 1] as Float64Array, 1, scores);
        if (index + 1 < sentences.length) this.addHidden(hidden[index + 1] as Float64Array, 2, scores);
      }
      const stamp = this.nextStamp();
      visitSentenceFeatures(sentence, index, tokenised, this.featureConfig, (type, key, second) => {
        const offset =
          second === undefined ? this.singles.get(type)?.get(key) : this.pairs.get(type)?.get(key)?.get(second);
        if (offset === undefined) return;
        const feature = offset / K;
        if (this.seen[feature] === stamp) return;
        this.seen[feature] = stamp;
        for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + (weights[offset + k] as number);
      });
      return scores;
    });
  }

  private addDense(features: Float64Array, scores: Float64Array): void {
    const weights = this.denseWeights as Float64Array;
    const bias = this.denseBias as Float64Array;
    for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + (bias[k] as number);
    for (let d = 0; d < features.length; d++) {
      const x = features[d] as number;
      if (x === 0) continue;
      const base = d * K;
      for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + x * (weights[base + k] as number);
    }
  }

  private hiddenLayer(features: Float64Array): Float64Array {
    const H = this.hiddenUnits;
    const D = features.length;
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let a = this.hiddenBias[j] as number;
      const row = j * D;
      for (let d = 0; d < D; d++) a += (this.hiddenInput[row + d] as number) * (features[d] as number);
      h[j] = Math.tanh(a);
    }
    return h;
  }

  private addHidden(h: Float64Array, slot: number, scores: Float64Array): void {
    const H = this.hiddenUnits;
    const base = slot * H * K;
    for (let j = 0; j < H; j++) {
      const hj = h[j] as number;
      for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + hj * (this.hiddenOutput[base + j * K + k] as number);
    }
  }

  private nextStamp(): number {
    this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.seen.fill(0);
    return this.stamp;
  }

  predict(sentences: readonly string[]): RolePrediction {
    if (sentences.length === 0) return { labels: [], probabilities: [] };
    const emissions = this.emissions(sentences);
    return { labels: this.viterbi(emissions), probabilities: this.marginals(emissions) };
  }

  /** The labels alone (Viterbi), skipping forward-backward. */
  labels(sentences: readonly string[]): RoleLabel[] {
    return sentences.length === 0 ? [] : this.viterbi(this.emissions(sentences));
  }

  private viterbi(emissions: readonly Float64Array[]): RoleLabel[] {
    const n = emissions.length;
    const back = new Int8Array(n * K);
    let previous = new Float64Array(K);
    for (let k = 0; k < K; k++) previous[k] = (this.start[k] as number) + ((emissions[0] as Float64Array)[k] as number);
    for (let t = 1; t < n; t++) {
      const current = new Float64Array(K);
      const emission = emissions[t] as Float64Array;
      for (let to = 0; to < K; to++) {
        let best = -Infinity;
        let bestFrom = 0;
        for (let from = 0; from < K; from++) {
          const score = (previous[from] as number) + (this.transitions[from * K + to] as number);
          if (score > best) {
            best = score;
            bestFrom = from;
          }
        }
        current[to] = best + (emission[to] as number);
        back[t * K + to] = bestFrom;
      }
      previous = current;
    }
    let last = 0;
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      const score = (previous[k] as number) + (this.end[k] as number);
      if (score > best) {
        best = score;
        last = k;
      }
    }
    const path = new Array<number>(n);
    path[n - 1] = last;
    for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * K + (path[t] as number)] as number;
    return path.map((k) => ROLE_LABELS[k] as RoleLabel);
  }

  private marginals(emissions: readonly Float64Array[]): number[][] {
    const n = emissions.length;
    const alpha = emissions.map(() => new Float64Array(K));
    const beta = emissions.map(() => new Float64Array(K));
    const terms = new Float64Array(K);
    for (let k = 0; k < K; k++) (alpha[0] as Float64Array)[k] = (this.start[k] as number) + ((emissions[0] as Float64Array)[k] as number);
    for (let t = 1; t < n; t++) {
      for (let to = 0; to < K; to++) {
        for (let from = 0; from < K; from++) {
          terms[from] = ((alpha[t - 1] as Float64Array)[from] as number) + (this.transitions[from * K + to] as number);
        }
        (alpha[t] as Float64Array)[to] = logSumExp(terms) + ((emissions[t] as Float64Array)[to] as number);
      }
    }
    for (let k = 0; k < K; k++) (beta[n - 1] as Float64Array)[k] = this.end[k] as number;
    for (let t = n - 2; t >= 0; t--) {
      for (let from = 0; from < K; from++) {
        for (let to = 0; to < K; to++) {
          terms[to] =
            (this.transitions[from * K + to] as number) +
            ((emissions[t + 1] as Float64Array)[to] as number) +
            ((beta[t + 1] as Float64Array)[to] as number);
        }
        (beta[t] as Float64Array)[from] = logSumExp(terms);
      }
    }
    const last = new Float64Array(K);
    for (let k = 0; k < K; k++) last[k] = ((alpha[n - 1] as Float64Array)[k] as number) + ((beta[n - 1] as Float64Array)[k] as number);
    const logZ = logSumExp(last);
    return alpha.map((a, t) => {
      const b = beta[t] as Float64Array;
      return Array.from({ length: K }, (_, k) => Math.exp((a[k] as number) + (b[k] as number) - logZ));
    });
  }
}

let defaultModel: RoleModel | undefined;

/** Reads and checks a weights file. */
export function loadRoleModel(file: string = DEFAULT_ROLE_MODEL_PATH, vectors?: WordVectors): RoleModel {
  return new RoleModel(JSON.parse(readFileSync(file, 'utf8')) as RoleModelWeights, vectors);
}

/** The bundled model, loaded on first use and shared afterwards. */
export function defaultRoleModel(): RoleModel {
  defaultModel ??= loadRoleModel();
  return defaultModel;
}
