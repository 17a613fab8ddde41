/**
 * Text features for personal ranking: stemmed words and adjacent-word pairs of a paper's title and
 * abstract, weighted (1 + ln tf) × idf and L2-normalised, as sparse vectors over one day's feature
 * space. The space (vocabulary and document frequencies) is built once per day from that day's
 * candidates (plus any background texts), so every reader's vectors share it and a reader's
 * work is sparse dot products against vectors computed once.
 */
import { STOPWORDS } from '../../score/text-index.ts';
import { cachedPorterStem } from '../../summarize/offline/porter-stemmer.ts';

/** A sparse vector: ascending feature ids and their weights. */
export interface SparseVector {
  ids: Int32Array;
  weights: Float32Array;
}

export const EMPTY_VECTOR: SparseVector = { ids: new Int32Array(0), weights: new Float32Array(0) };

/** Title words count this many times an abstract word: a title says what a paper is about. */
const TITLE_REPEAT = 2;

/** Lower-case stems of the words of `text`: ASCII letters and digits, two characters or more, with a letter, no stopwords. */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[a-z0-9]+/g)) {
    const word = match[0];
    if (word.length < 2 || !/[a-z]/.test(word) || STOPWORDS.has(word)) continue;
    const stem = cachedPorterStem(word);
    if (!STOPWORDS.has(stem)) out.push(stem);
  }
  return out;
}

/** The terms of a text: its stems and its pairs of adjacent stems ("graph neural", "neural network"). */
export function terms(text: string): string[] {
  const words = stems(text);
  const out = words.slice();
  for (let i = 1; i < words.length; i += 1) out.push(`${words[i - 1]} ${words[i]}`);
  return out;
}

export interface PaperText {
  title: string;
  abstract?: string | null | undefined;
}

/** Term counts of a paper (title terms repeated TITLE_REPEAT times). */
export function termCounts(paper: PaperText): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms(paper.title)) counts.set(term, (counts.get(term) ?? 0) + TITLE_REPEAT);
  if (paper.abstract) for (const term of terms(paper.abstract)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/**
 * Vocabulary and inverse document frequencies of one day. Terms the day never saw still get a
 * weight (the idf of a term seen once), so a library paper's vector keeps its true length; they
 * get no id, since no candidate of the day can share them.
 */
export class FeatureSpace {
  readonly ids = new Map<string, number>();
  readonly idf: Float64Array;
  readonly unseenIdf: number;
  readonly documents: number;

  constructor(documentTerms: Iterable<Iterable<string>>) {
    const df = new Map<string, number>();
    let n = 0;
    for (const doc of documentTerms) {
      n += 1;
      for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
    }
    // Sorted, so ids never depend on the order documents came in.
    const vocabulary = [...df.keys()].sort();
    this.idf = new Float64Array(vocabulary.length);
    vocabulary.forEach((term, id) => {
      this.ids.set(term, id);
      // Smoothed idf (always > 0): a term in every paper of the day still counts a little.
      this.idf[id] = Math.log((1 + n) / (1 + df.get(term)!)) + 1;
    });
    this.unseenIdf = Math.log((1 + n) / 2) + 1;
    this.documents = n;
  }

  get size(): number {
    return this.idf.length;
  }

  /** The L2-normalised TF-IDF vector of a paper over this space. */
  vector(paper: PaperText): SparseVector {
    return this.vectorOfCounts(termCounts(paper));
  }

  vectorOfCounts(counts: Map<string, number>): SparseVector {
    const entries: Array<[number, number]> = [];
    let norm = 0;
    for (const [term, count] of counts) {
      const id = this.ids.get(term);
      const w = (1 + Math.log(count)) * (id === undefined ? this.unseenIdf : this.idf[id]!);
      norm += w * w;
      if (id !== undefined) entries.push([id, w]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    return { ids: Int32Array.from(entries, (e) => e[0]), weights: Float32Array.from(entries, (e) => e[1] * scale) };
  }
}

/** Dot product of two sparse vectors (both with ascending ids). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x === y) sum += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i += 1;
    else j += 1;
  }
  return sum;
}
