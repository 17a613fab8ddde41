/**
 * Offline quality of personal ranking (issue 18) on CiteULike-a: 5,551 researchers' libraries over
 * 16,980 papers, titles only. Each library's items have no order, so a seeded random 20 % of each is
 * hidden; the rest is the reader's library and every paper outside it is a candidate. Figures per
 * ranker: recall@50, nDCG@50 and the pairwise ranking loss (the share of (hidden paper, random
 * paper outside the library) pairs ordered wrongly, ties counted half), averaged over readers.
 *
 * Readers are split once, by a seeded shuffle, into a dev set (the only one any setting was tuned
 * on) and a disjoint test set (the reported figures).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../seeded-random.ts';
import { PreparedDay } from '../select/personal/prepared-day.ts';
import { RANK_DEFAULTS, scoreForReader, type RankOptions } from '../select/personal/rank.ts';
import { FeatureSpace, sparseDot, stems, type SparseVector } from '../select/personal/text-features.ts';
import type { CandidatePaper } from '../select/personal/types.ts';

export class PersonalDataError extends Error {}

export interface CiteULike {
  titles: string[];
  /** Item indices (0-based) of each user's library. */
  libraries: number[][];
}

/** users.dat (line u: `n item…`, 0-based) and titles_TopicModelsVB.txt (line i + 1: item i). */
export function readCiteULike(dir: string): CiteULike {
  const read = (name: string): string => {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch {
      throw new PersonalDataError(`${dir} has no readable ${name} (expected CiteULike-a: users.dat and titles_TopicModelsVB.txt)`);
    }
  };
  const titles = read('titles_TopicModelsVB.txt').split('\n');
  if (titles.at(-1) === '') titles.pop();
  const libraries = read('users.dat')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, at) => {
      const [count, ...items] = line.trim().split(/\s+/).map(Number);
      if (count !== items.length || items.some((i) => !Number.isInteger(i) || i < 0 || i >= titles.length)) {
        throw new PersonalDataError(`users.dat line ${at + 1}: expected a count and that many item ids below ${titles.length}`);
      }
      return items;
    });
  return { titles, libraries };
}

export interface SplitReader {
  user: number;
  library: number[];
  hidden: number[];
}

/** Hides a seeded random 20 % (at least one) of each library of at least `minItems` items. */
export function splitLibraries(data: CiteULike, seed: number, minItems = 5): SplitReader[] {
  const random = seededRandom(seed);
  const out: SplitReader[] = [];
  data.libraries.forEach((items, user) => {
    if (items.length < minItems) return;
    const shuffled = items.slice();
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const hide = Math.max(1, Math.round(items.length * 0.2));
    out.push({ user, hidden: shuffled.slice(0, hide), library: shuffled.slice(hide) });
  });
  return out;
}

export interface RankerFigures {
  recallAt50: number;
  ndcgAt50: number;
  pairwiseLoss: number;
}

export type Scorer = (reader: SplitReader) => Float64Array;

const K = 50;
const PAIRS_PER_HIDDEN = 10;

/** Mean figures of a scorer over readers; `exclude` papers (the library) are never ranked. */
export function measure(readers: readonly SplitReader[], items: number, scorer: Scorer, seed: number): RankerFigures {
  let recall = 0;
  let ndcg = 0;
  let loss = 0;
  const random = seededRandom(seed);
  const inLibrary = new Uint8Array(items);
  for (const reader of readers) {
    const scores = scorer(reader);
    for (const i of reader.library) inLibrary[i] = 1;
    const hidden = new Set(reader.hidden);
    // Top K by score; ties keep the smaller item index (a fixed rule, the same for every ranker).
    const top: number[] = [];
    for (let i = 0; i < items; i += 1) {
      if (inLibrary[i]) continue;
      const s = scores[i]!;
      if (top.length === K && s <= scores[top[K - 1]!]!) continue;
      let at = top.length;
      while (at > 0 && scores[top[at - 1]!]! < s) at -= 1;
      top.splice(at, 0, i);
      if (top.length > K) top.pop();
    }
    let hits = 0;
    let dcg = 0;
    top.forEach((i, rank) => {
      if (!hidden.has(i)) return;
      hits += 1;
      dcg += 1 / Math.log2(rank + 2);
    });
    let ideal = 0;
    for (let r = 0; r < Math.min(K, hidden.size); r += 1) ideal += 1 / Math.log2(r + 2);
    recall += hits / hidden.size;
    ndcg += dcg / ideal;
    let wrong = 0;
    let pairs = 0;
    for (const h of reader.hidden) {
      for (let k = 0; k < PAIRS_PER_HIDDEN; k += 1) {
        let negative: number;
        do negative = Math.floor(random() * items);
        while (inLibrary[negative] || hidden.has(negative));
        pairs += 1;
        if (scores[negative]! > scores[h]!) wrong += 1;
        else if (scores[negative] === scores[h]) wrong += 0.5;
      }
    }
    loss += wrong / pairs;
    for (const i of reader.library) inLibrary[i] = 0;
  }
  const n = Math.max(1, readers.length);
  return { recallAt50: recall / n, ndcgAt50: ndcg / n, pairwiseLoss: loss / n };
}

/** Popularity: how many readers keep the paper, counted over the visible libraries only. */
export function popularityScorer(readers: readonly SplitReader[], items: number): Scorer {
  const counts = new Float64Array(items);
  for (const reader of readers) for (const i of reader.library) counts[i]! += 1;
  return () => counts;
}

/** The baseline: plain TF-IDF (stemmed words of the title) and the mean cosine similarity to the library. */
export function tfidfScorer(titles: readonly string[]): Scorer {
  const words = titles.map((t) => stems(t));
  const space = new FeatureSpace(words);
  const vectors = words.map((w) => {
    const counts = new Map<string, number>();
    for (const s of w) counts.set(s, (counts.get(s) ?? 0) + 1);
    return space.vectorOfCounts(counts);
  });
  return (reader) => {
    const centroid = new Map<number, number>();
    for (const i of reader.library) {
      const v = vectors[i]!;
      for (let j = 0; j < v.ids.length; j += 1) centroid.set(v.ids[j]!, (centroid.get(v.ids[j]!) ?? 0) + v.weights[j]!);
    }
    const entries = [...centroid].sort((a, b) => a[0] - b[0]);
    const query: SparseVector = { ids: Int32Array.from(entries, (e) => e[0]), weights: Float32Array.from(entries, (e) => e[1]) };
    return Float64Array.from(vectors, (v) => sparseDot(query, v));
  };
}

/** papersift's personal ranker, over all papers as one "day" of candidates. */
export function personalScorer(titles: readonly string[], options: RankOptions = RANK_DEFAULTS): Scorer {
  const candidates: CandidatePaper[] = titles.map((title, i) => ({ id: String(i), title }));
  const day = new PreparedDay(candidates);
  return (reader) => {
    const scores = scoreForReader(day, { library: reader.library.map((i) => candidates[i]!) }, { ...options, seed: options.seed + reader.user });
    return scores.text;
  };
}

export interface PersonalReport {
  dir: string;
  readers: { eligible: number; dev: number; test: number };
  hiddenShare: number;
  dev: Record<string, RankerFigures>;
  test: Record<string, RankerFigures>;
  seconds: number;
}

export interface PersonalEvalOptions {
  /** Dev readers (tuning only); the test set is the next `testReaders` of the same shuffle. */
  devReaders: number;
  testReaders: number;
  seed: number;
  rank: RankOptions;
}

export const PERSONAL_EVAL_DEFAULTS: PersonalEvalOptions = { devReaders: 500, testReaders: 2000, seed: 18, rank: RANK_DEFAULTS };

export function evaluatePersonal(dir: string, options: PersonalEvalOptions = PERSONAL_EVAL_DEFAULTS): PersonalReport {
  const started = performance.now();
  const data = readCiteULike(dir);
  const readers = splitLibraries(data, options.seed);
  // One seeded shuffle of the readers: dev first, then test, never overlapping.
  const order = readers.slice();
  const random = seededRandom(options.seed + 1);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const dev = order.slice(0, options.devReaders);
  const test = order.slice(options.devReaders, options.devReaders + options.testReaders);
  const items = data.titles.length;
  const scorers: Record<string, Scorer> = {
    'papersift personal ranker': personalScorer(data.titles, options.rank),
    'similarity only (cold start, no model)': personalScorer(data.titles, { ...options.rank, modelWeight: 0 }),
    'TF-IDF similarity (baseline)': tfidfScorer(data.titles),
    popularity: popularityScorer(readers, items),
  };
  const run = (set: readonly SplitReader[]): Record<string, RankerFigures> =>
    Object.fromEntries(Object.entries(scorers).map(([name, scorer]) => [name, measure(set, items, scorer, options.seed + 2)]));
  const hidden = readers.reduce((sum, r) => sum + r.hidden.length, 0);
  const total = readers.reduce((sum, r) => sum + r.hidden.length + r.library.length, 0);
  return {
    dir,
    readers: { eligible: readers.length, dev: dev.length, test: test.length },
    hiddenShare: hidden / total,
    dev: run(dev),
    test: run(test),
    seconds: (performance.now() - started) / 1000,
  };
}

export function formatPersonalReport(report: PersonalReport): string {
  const rows = (figures: Record<string, RankerFigures>): string[] =>
    Object.entries(figures).map(([name, f]) => `| ${name} | ${f.recallAt50.toFixed(3)} | ${f.ndcgAt50.toFixed(3)} | ${f.pairwiseLoss.toFixed(3)} |`);
  const header = ['| ranker | recall@50 | nDCG@50 | pairwise loss |', '|---|---|---|---|'];
  return [
    `Personal ranking on ${report.dir}: ${report.readers.eligible} readers with 5+ papers; a seeded random ${(100 * report.hiddenShare).toFixed(1)} % of each library hidden, every other paper ranked.`,
    '',
    `Test readers (${report.readers.test}, disjoint from the dev readers):`,
    '',
    ...header,
    ...rows(report.test),
    '',
    `Dev readers (${report.readers.dev}; the only ones settings were tuned on):`,
    '',
    ...header,
    ...rows(report.dev),
    '',
    `(${report.seconds.toFixed(0)} s)`,
  ].join('\n');
}
