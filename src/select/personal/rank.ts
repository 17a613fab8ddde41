/**
 * One reader's ranking of one prepared day: every candidate that passes the reader's rules, best
 * first, each with its score and reasons.
 *
 * - Similarity (the cold start, zotero-arxiv-daily's idea): the candidate's cosine similarity to each
 *   library paper, averaged with weights that favour recent additions; the closest library paper is
 *   the "similar to" reason.
 * - The reader's linear SVM (arxiv-sanity-lite's idea, reader-model.ts) once there are enough
 *   positives: library and saves against "not interested" and sampled papers of the day.
 * - Both standardised over the day and blended; follows and include rules lift a paper on top
 *   (REASON_LIFT); exclude rules and "not interested" remove it.
 * - Optional embeddings (an LLM provider's, when configured) add their own similarity term.
 */
import { seededRandom } from '../../seeded-random.ts';
import type { PreparedDay } from './prepared-day.ts';
import { READER_MODEL_DEFAULTS, trainReaderModel, type LabelledVector, type ReaderModelOptions } from './reader-model.ts';
import { compileRules, describeReason, REASON_LIFT, type CompiledRules } from './rules.ts';
import { sparseDot, type SparseVector } from './text-features.ts';
import type { LibraryPaper, PersonalPick, ReaderProfile, Reason } from './types.ts';

export interface RankOptions {
  /** Sampled papers of the day taken as negatives for the reader's model. */
  negatives: number;
  /** Weight of the model's standardised score against similarity's (0: similarity only). */
  modelWeight: number;
  /** The model is trained only with at least this many positives (library + saves). */
  minPositives: number;
  /** How much a "not interested" counts against a sampled negative. */
  notInterestedWeight: number;
  /** Weight of the embedding similarity's standardised score, when embeddings are given. */
  embeddingWeight: number;
  model: ReaderModelOptions;
  seed: number;
}

/** Below this cosine similarity a library paper is not named as the reason (a shared common word is no likeness). */
export const SIMILAR_ENOUGH = 0.05;
/** Features in more than this share of the day's papers (and more than CLOSEST_MIN_DF) are not walked for the closest library paper. */
export const CLOSEST_MAX_DF_SHARE = 0.02;
export const CLOSEST_MIN_DF = 20;

export const RANK_DEFAULTS: RankOptions = {
  negatives: 200,
  modelWeight: 0.8,
  minPositives: 5,
  notInterestedWeight: 3,
  embeddingWeight: 1,
  model: READER_MODEL_DEFAULTS,
  seed: 18,
};

/**
 * Recency weights of library papers (zotero-arxiv-daily's decay): the r-th most recent addition
 * weighs 1 / (1 + log10(r + 1)). Ordered by `added`, then `year`; papers without either come after
 * dated ones, and a library with no dates at all weighs every paper the same.
 */
export function recencyWeights(library: readonly LibraryPaper[]): Float64Array {
  const weights = new Float64Array(library.length).fill(1);
  const dated = library.some((p) => p.added || p.year != null);
  if (!dated) return weights;
  const added = library.map((p) => {
    const time = p.added ? Date.parse(p.added) : NaN;
    return Number.isNaN(time) ? -Infinity : time;
  });
  const year = library.map((p) => p.year ?? -Infinity);
  // −Infinity − −Infinity is NaN, which sort treats as a tie: undated papers keep their order.
  const order = library.map((_, i) => i).sort((a, b) => (added[b]! - added[a]! || 0) || (year[b]! - year[a]! || 0) || a - b);
  order.forEach((i, rank) => (weights[i] = 1 / (1 + Math.log10(rank + 1))));
  return weights;
}

/** (x − mean) / standard deviation over the kept candidates; all zero when they do not vary. */
function standardise(values: Float64Array, kept: readonly number[]): Float64Array {
  let mean = 0;
  for (const c of kept) mean += values[c]!;
  mean /= Math.max(1, kept.length);
  let variance = 0;
  for (const c of kept) variance += (values[c]! - mean) ** 2;
  const sd = Math.sqrt(variance / Math.max(1, kept.length));
  const out = new Float64Array(values.length);
  if (sd > 1e-12) for (const c of kept) out[c] = (values[c]! - mean) / sd;
  return out;
}

function dense(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length && i < b.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

export interface Positive {
  id: string;
  title: string;
  vector: SparseVector;
  weight: number;
  embedding?: Float32Array | null | undefined;
}

/** Scores of every candidate (kept ones only are meaningful) and what the ranking needs to explain them. */
export interface ReaderScores {
  /** Candidate indices that pass the reader's rules, in candidate order. */
  kept: number[];
  /** The text score (similarity blended with the model, standardised), by candidate index. */
  text: Float64Array;
  positives: readonly Positive[];
  positiveIds: ReadonlySet<string>;
}

/** Σ weight × vector over the positives, divided by the weights' sum, in the day's dense scratch (the caller zeroes it). */
function spreadProfile(day: PreparedDay, positives: readonly Positive[]): { profile: Float64Array; used: number[] } {
  const profile = day.scratch();
  const used: number[] = [];
  const total = positives.reduce((sum, p) => sum + p.weight, 0);
  for (const { vector, weight } of positives) {
    for (let j = 0; j < vector.ids.length; j += 1) {
      const f = vector.ids[j]!;
      if (profile[f] === 0) used.push(f);
      profile[f]! += (weight / total) * vector.weights[j]!;
    }
  }
  return { profile, used };
}

/** The scoring part of the ranking, without reasons or sorting (the evaluation ranks thousands of papers per reader with it). */
export function scoreForReader(day: PreparedDay, reader: ReaderProfile, options: RankOptions = RANK_DEFAULTS, rules: CompiledRules = compileRules(reader, day)): ReaderScores {
  const n = day.candidates.length;
  const feedback = reader.feedback ?? [];
  const notInterested = new Set(feedback.filter((f) => f.signal === 'not-interested').map((f) => f.paper.id));
  const kept: number[] = [];
  for (let c = 0; c < n; c += 1) if (!notInterested.has(day.candidates[c]!.id) && !rules.excluded(c)) kept.push(c);

  // Positives: the library (recent additions weigh more) and saves (weighed as the most recent).
  const recency = recencyWeights(reader.library);
  const positives: Positive[] = reader.library.map((p, i) => ({ id: p.id, title: p.title, vector: day.vectorOf(p), weight: recency[i]!, embedding: p.embedding }));
  const positiveIds = new Set(positives.map((p) => p.id));
  for (const f of feedback) {
    if (f.signal !== 'save' || positiveIds.has(f.paper.id)) continue;
    positiveIds.add(f.paper.id);
    positives.push({ id: f.paper.id, title: f.paper.title, vector: day.vectorOf(f.paper), weight: 1 });
  }

  // The weighted mean of cosine similarities to the positives is the cosine with their weighted mean
  // vector: one sparse dot product per candidate, whatever the library's size.
  const similarity = new Float64Array(n);
  if (positives.length > 0) {
    const { profile, used } = spreadProfile(day, positives);
    for (const c of kept) {
      const { ids, weights } = day.vectors[c]!;
      let dot = 0;
      for (let j = 0; j < ids.length; j += 1) dot += profile[ids[j]!]! * weights[j]!;
      similarity[c] = dot;
    }
    for (const f of used) profile[f] = 0;
  }

  let text = standardise(similarity, kept);
  if (options.modelWeight > 0 && positives.length >= options.minPositives) {
    const modelScores = modelScore(day, positives, reader, kept, options);
    const standard = standardise(modelScores, kept);
    for (const c of kept) text[c] = (1 - options.modelWeight) * text[c]! + options.modelWeight * standard[c]!;
  }
  const embedded = positives.filter((p) => p.embedding);
  if (options.embeddingWeight > 0 && embedded.length > 0) {
    const embeddingSimilarity = new Float64Array(n);
    const weight = embedded.reduce((sum, p) => sum + p.weight, 0);
    for (const c of kept) {
      const e = day.candidates[c]!.embedding;
      if (e) for (const p of embedded) embeddingSimilarity[c]! += (p.weight * dense(e, p.embedding!)) / weight;
    }
    const standard = standardise(embeddingSimilarity, kept);
    text = text.map((t, c) => t + options.embeddingWeight * standard[c]!);
  }
  return { kept, text, positives, positiveIds };
}

/**
 * The positive closest to each kept candidate, for the "similar to" reason: found through the
 * features rarer than CLOSEST_MAX_DF_SHARE of the day (a shared common word makes no likeness, and
 * walking its long posting list for every library paper would cost most of a reader's ranking), then
 * measured exactly.
 */
function closestPositives(day: PreparedDay, positives: readonly Positive[], kept: readonly number[]): { closest: Int32Array; similarity: Float64Array } {
  const n = day.candidates.length;
  const maxDf = Math.max(CLOSEST_MIN_DF, Math.floor(n * CLOSEST_MAX_DF_SHARE));
  const best = new Float64Array(n);
  const closest = new Int32Array(n).fill(-1);
  const partial = new Float64Array(n);
  const touched: number[] = [];
  for (let i = 0; i < positives.length; i += 1) {
    const { ids, weights } = positives[i]!.vector;
    for (let j = 0; j < ids.length; j += 1) {
      const f = ids[j]!;
      if (day.documentFrequency(f) > maxDf) continue;
      const w = weights[j]!;
      for (let p = day.postStart[f]!; p < day.postStart[f + 1]!; p += 1) {
        const c = day.postDocs[p]!;
        if (partial[c] === 0) touched.push(c);
        partial[c]! += w * day.postWeights[p]!;
      }
    }
    for (const c of touched) {
      if (partial[c]! > best[c]!) {
        best[c] = partial[c]!;
        closest[c] = i;
      }
      partial[c] = 0;
    }
    touched.length = 0;
  }
  const similarity = new Float64Array(n);
  for (const c of kept) if (closest[c]! >= 0) similarity[c] = sparseDot(day.vectors[c]!, positives[closest[c]!]!.vector);
  return { closest, similarity };
}

export function rankForReader(day: PreparedDay, reader: ReaderProfile, options: RankOptions = RANK_DEFAULTS): PersonalPick[] {
  const rules = compileRules(reader, day);
  const { kept, text, positives, positiveIds } = scoreForReader(day, reader, options, rules);
  const { closest, similarity } = closestPositives(day, positives, kept);
  const picks = kept.map((c): PersonalPick => {
    const candidate = day.candidates[c]!;
    const reasons: Reason[] = positiveIds.has(candidate.id) ? [{ kind: 'library' }] : [];
    reasons.push(...rules.reasons(c));
    const lift = reasons.reduce((sum, r) => sum + REASON_LIFT[r.kind], 0);
    const near = positives[closest[c]!];
    if (near !== undefined && near.id !== candidate.id && similarity[c]! >= SIMILAR_ENOUGH) reasons.push({ kind: 'similar', paperId: near.id, title: near.title, similarity: similarity[c]! });
    if (reasons.length === 0) reasons.push({ kind: 'none' });
    return { id: candidate.id, score: Math.round((text[c]! + lift) * 1e4) / 1e4, why: reasons.map(describeReason).join('; '), reasons };
  });
  return picks.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The reader's linear model's score of every kept candidate. */
function modelScore(day: PreparedDay, positives: readonly Positive[], reader: ReaderProfile, kept: readonly number[], options: RankOptions): Float64Array {
  const examples: LabelledVector[] = positives.map((p) => ({ vector: p.vector, label: 1, weight: p.weight }));
  const exclude = new Set(positives.map((p) => p.id));
  for (const f of reader.feedback ?? []) {
    if (f.signal !== 'not-interested' || exclude.has(f.paper.id)) continue;
    exclude.add(f.paper.id);
    examples.push({ vector: day.vectorOf(f.paper), label: 0, weight: options.notInterestedWeight });
  }
  // A seeded sample of the day's other papers (without repeats): the same day and reader give the same sample.
  const random = seededRandom(options.seed);
  const wanted = Math.min(options.negatives, kept.length);
  const sampled = new Set<number>();
  for (let tries = 0; sampled.size < wanted && tries < wanted * 20; tries += 1) {
    const c = kept[Math.floor(random() * kept.length)]!;
    if (sampled.has(c) || exclude.has(day.candidates[c]!.id)) continue;
    sampled.add(c);
    examples.push({ vector: day.vectors[c]!, label: 0, weight: 1 });
  }
  const model = trainReaderModel(examples, day.localIds(), options.model);
  const weights = day.scratch();
  for (let i = 0; i < model.features.length; i += 1) weights[model.features[i]!] = model.weights[i]!;
  const scores = new Float64Array(day.candidates.length);
  for (const c of kept) {
    const { ids, weights: x } = day.vectors[c]!;
    let z = model.bias;
    for (let j = 0; j < ids.length; j += 1) z += weights[ids[j]!]! * x[j]!;
    scores[c] = z;
  }
  for (const f of model.features) weights[f] = 0;
  return scores;
}
