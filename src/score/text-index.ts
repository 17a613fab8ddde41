/**
 * An in-memory TF-IDF index over titles and abstracts, for "the k nearest earlier papers". Works
 * offline: cosine similarity of log-tf × idf vectors, L2-normalised, over a vocabulary
 * that drops stopwords and terms found in more than MAX_DF_SHARE of the papers (they carry almost no
 * weight and would dominate the cost). Documents are ordered by (time, key), so "earlier" is a prefix
 * of the document list and a posting walk stops at the first later document.
 */

// The constants live in the domain, as /about/scores states them.
import { MAX_DF_SHARE, MIN_PRUNED_DF, QUERY_TERMS, RERANK_CANDIDATES } from '../domain/scoring.ts';
export { MAX_DF_SHARE, MIN_PRUNED_DF, QUERY_TERMS, RERANK_CANDIDATES };

/** The `count` documents of `docs` with the highest score, ties by the smaller document index. */
function topByScore(docs: readonly number[], scores: Float32Array, count: number): number[] {
  const best: number[] = [];
  for (const doc of docs) {
    const s = scores[doc]!;
    const last = best[best.length - 1];
    if (best.length === count && last !== undefined && (s < scores[last]! || (s === scores[last]! && doc > last))) continue;
    let at = best.length;
    while (at > 0 && (scores[best[at - 1]!]! < s || (scores[best[at - 1]!]! === s && best[at - 1]! > doc))) at -= 1;
    best.splice(at, 0, doc);
    if (best.length > count) best.pop();
  }
  return best;
}

export const STOPWORDS = new Set(
  (
    'a about above across after again against all also although am an and any are as at be because been before being below between both but by can could did do does doing done down during each either else ever every few for from further had has have having here how however if in into is it its itself just may might more most much must no nor not now of off on once only or other our ours out over own per rather same shall should since so some such than that the their them then there these they this those though through thus to too under until up upon us very via was we were what when where whether which while who whom whose why will with within without would yet you your ' +
    'paper propose proposed present show shows shown study novel new approach method methods based using use used work results result'
  ).split(' '),
);

/**
 * Harman's S-stemmer: folds plurals ("models" = "model", "queries" = "query"); cheap and predictable,
 * which a score documented on /about/scores should be.
 */
export function stemPlural(word: string): string {
  if (word.length > 4 && word.endsWith('ies') && !word.endsWith('eies') && !word.endsWith('aies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('es') && !/[aeo]es$/.test(word)) return word.slice(0, -1);
  if (word.length > 3 && word.endsWith('s') && !/[us]s$/.test(word)) return word.slice(0, -1);
  return word;
}

export interface IndexedDocument {
  /** Stable key (the arXiv id). */
  key: string;
  /** Milliseconds since the epoch; "earlier" means smaller, or equal with a smaller key. */
  time: number;
  /** The text, or its parts (title, abstract), which saves joining them. */
  text: string | readonly string[];
}

export interface Neighbour {
  key: string;
  similarity: number;
}

/** Doubles a typed array's capacity, keeping its contents. */
function grow<T extends Int32Array | Float32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(needed, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * Open addressing over typed arrays: token hash (two 32-bit halves) → term id. Number-keyed Maps box
 * keys above 2^31, which made tokenising 100,000 abstracts take seconds of allocation.
 */
class TokenTable {
  private mask = (1 << 16) - 1;
  private hi = new Int32Array(1 << 16);
  private lo = new Int32Array(1 << 16);
  /** Term id + 2 (0: empty slot; 1: stopword). */
  private value = new Int32Array(1 << 16);
  private used = 0;

  /** The stored term id (−1: stopword), or undefined. */
  get(h1: number, h2: number): number | undefined {
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const v = this.value[i]!;
      if (v === 0) return undefined;
      if (this.hi[i] === h1 && this.lo[i] === h2) return v - 2;
    }
  }

  set(h1: number, h2: number, id: number): void {
    if ((this.used + 1) * 2 > this.mask) this.resize();
    let i = h1 & this.mask;
    while (this.value[i] !== 0) i = (i + 1) & this.mask;
    this.hi[i] = h1;
    this.lo[i] = h2;
    this.value[i] = id + 2;
    this.used += 1;
  }

  private resize(): void {
    const { hi, lo, value } = this;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.hi = new Int32Array(size);
    this.lo = new Int32Array(size);
    this.value = new Int32Array(size);
    this.used = 0;
    for (let i = 0; i < value.length; i += 1) if (value[i] !== 0) this.set(hi[i]!, lo[i]!, value[i]! - 2);
  }
}

/**
 * Turns text into term ids. Tokens are runs of ASCII letters and digits (lowercased, at least three
 * characters, at least one letter). Each token is looked up by a 64-bit hash computed while scanning,
 * so a string is only made the first time a token is seen (then stemmed and checked for stopwords).
 */
class Vocabulary {
  size = 0;
  /** The term ids of the last scan (the first `scan()` entries). */
  buffer = new Int32Array(1 << 12);
  private readonly ids = new Map<string, number>();
  private readonly table = new TokenTable();

  /** Scans `text` into `buffer` from position `from`; returns the new end. */
  scan(text: string, from: number): number {
    if (this.buffer.length < from + (text.length >> 2) + 2) this.buffer = grow(this.buffer, from + (text.length >> 2) + 2);
    const buffer = this.buffer;
    let out = from;
    let start = -1;
    let hasLetter = false;
    let h1 = 0;
    let h2 = 0;
    for (let i = 0; i <= text.length; i += 1) {
      let c = i < text.length ? text.charCodeAt(i) : 32;
      if (c >= 65 && c <= 90) c += 32;
      const isLetter = c >= 97 && c <= 122;
      if (isLetter || (c >= 48 && c <= 57)) {
        if (start < 0) {
          start = i;
          h1 = 0x811c9dc5 | 0;
          h2 = 0x01000193;
        }
        if (isLetter) hasLetter = true;
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 13);
        continue;
      }
      if (start >= 0 && hasLetter && i - start >= 3) {
        let id = this.table.get(h1, h2);
        if (id === undefined) {
          id = this.idOf(text.slice(start, i).toLowerCase());
          this.table.set(h1, h2, id);
        }
        if (id >= 0) buffer[out++] = id;
      }
      start = -1;
      hasLetter = false;
    }
    return out;
  }

  /** The stems by term id. */
  stems(): string[] {
    const out = new Array<string>(this.size);
    for (const [stem, id] of this.ids) out[id] = stem;
    return out;
  }

  private idOf(token: string): number {
    if (STOPWORDS.has(token)) return -1;
    const stem = stemPlural(token);
    if (STOPWORDS.has(stem)) return -1;
    let id = this.ids.get(stem);
    if (id === undefined) {
      id = this.size;
      this.size += 1;
      this.ids.set(stem, id);
    }
    return id;
  }
}

/**
 * Collects documents in any order (rows can be streamed from the store, so their text need not stay
 * in memory), then lays out the index in (time, key) order with term ids by stem order: the index, and
 * every score, are the same whatever order the rows came in.
 */
export class TextIndexBuilder {
  private readonly vocabulary = new Vocabulary();
  private readonly keys: string[] = [];
  private readonly times: number[] = [];
  private rawStart: Int32Array;
  private terms: Int32Array;
  private counts: Int32Array;
  private lastDoc = new Int32Array(1 << 12).fill(-1);
  private slotOf = new Int32Array(1 << 12);
  private df = new Int32Array(1 << 12);
  private at = 0;

  /** `expectedDocuments` sizes the buffers (about 80 distinct terms per abstract), so they rarely grow. */
  constructor(expectedDocuments = 1024) {
    this.rawStart = new Int32Array(expectedDocuments + 1);
    this.terms = new Int32Array(expectedDocuments * 80);
    this.counts = new Int32Array(expectedDocuments * 80);
  }

  /** Adds one document: its distinct terms and their counts. */
  add(key: string, time: number, text: string | readonly string[]): void {
    const d = this.keys.length;
    this.keys.push(key);
    this.times.push(time);
    const vocabulary = this.vocabulary;
    let end = 0;
    for (const part of typeof text === 'string' ? [text] : text) end = vocabulary.scan(part, end);
    const tokens = vocabulary.buffer;
    if (vocabulary.size > this.lastDoc.length) {
      const size = Math.max(vocabulary.size, this.lastDoc.length * 2);
      const fresh = new Int32Array(size).fill(-1);
      fresh.set(this.lastDoc);
      this.lastDoc = fresh;
      this.slotOf = grow(this.slotOf, size);
      this.df = grow(this.df, size);
    }
    if (this.terms.length < this.at + end) {
      this.terms = grow(this.terms, this.at + end);
      this.counts = grow(this.counts, this.at + end);
    }
    this.rawStart = grow(this.rawStart, d + 2);
    const { lastDoc, slotOf, df, terms, counts } = this;
    let at = this.at;
    for (let k = 0; k < end; k += 1) {
      const t = tokens[k]!;
      if (lastDoc[t] === d) {
        counts[slotOf[t]!]! += 1;
        continue;
      }
      lastDoc[t] = d;
      df[t]! += 1;
      terms[at] = t;
      counts[at] = 1;
      slotOf[t] = at;
      at += 1;
    }
    this.at = at;
    this.rawStart[d + 1] = at;
  }

  build(): TextIndex {
    const n = this.keys.length;
    const { keys, times, rawStart, terms, counts } = this;
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => times[a]! - times[b]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0),
    );
    // Term ids by stem order, so they do not depend on which document came first.
    const stems = this.vocabulary.stems();
    const vocabularySize = stems.length;
    const byStem = Array.from({ length: vocabularySize }, (_, i) => i).sort((a, b) => (stems[a]! < stems[b]! ? -1 : 1));
    const canonical = new Int32Array(vocabularySize);
    byStem.forEach((id, rank) => (canonical[id] = rank));
    const df = new Int32Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t += 1) df[canonical[t]!] = this.df[t]!;
    const maxDf = Math.max(MIN_PRUNED_DF, Math.floor(n * MAX_DF_SHARE));
    const idf = new Float64Array(vocabularySize);
    for (let t = 0; t < vocabularySize; t += 1) idf[t] = df[t]! === 0 || df[t]! > maxDf ? 0 : Math.log(n / df[t]!);
    // Weights (1 + ln tf) × idf over the kept terms, normalised per document, in index order.
    const docStart = new Int32Array(n + 1);
    const docTerms = new Int32Array(this.at);
    const docWeights = new Float32Array(this.at);
    const postCount = new Int32Array(vocabularySize + 1);
    let kept = 0;
    for (let d = 0; d < n; d += 1) {
      const source = order[d]!;
      const first = kept;
      let norm = 0;
      for (let j = rawStart[source]!; j < rawStart[source + 1]!; j += 1) {
        const t = canonical[terms[j]!]!;
        if (idf[t]! === 0) continue;
        const w = (1 + Math.log(counts[j]!)) * idf[t]!;
        docTerms[kept] = t;
        docWeights[kept] = w;
        norm += w * w;
        postCount[t + 1]! += 1;
        kept += 1;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = first; j < kept; j += 1) docWeights[j]! *= scale;
      docStart[d + 1] = kept;
    }
    for (let t = 0; t < vocabularySize; t += 1) postCount[t + 1]! += postCount[t]!;
    const postDocs = new Int32Array(kept);
    const postWeights = new Float32Array(kept);
    const fill = postCount.slice(0, vocabularySize);
    // Documents are visited in index order, so every posting list comes out sorted by document.
    for (let d = 0; d < n; d += 1) {
      for (let j = docStart[d]!; j < docStart[d + 1]!; j += 1) {
        const t = docTerms[j]!;
        const slot = fill[t]!;
        postDocs[slot] = d;
        postWeights[slot] = docWeights[j]!;
        fill[t] = slot + 1;
      }
    }
    return new TextIndex(order.map((i) => keys[i]!), { docStart, docTerms, docWeights, postStart: postCount, postDocs, postWeights }, vocabularySize);
  }
}

interface IndexArrays {
  docStart: Int32Array;
  docTerms: Int32Array;
  docWeights: Float32Array;
  postStart: Int32Array;
  postDocs: Int32Array;
  postWeights: Float32Array;
}

export class TextIndex {
  readonly size: number;
  private readonly keys: string[];
  private readonly byKey = new Map<string, number>();
  /** Per document (CSR): its terms and normalised weights. */
  private readonly docStart: Int32Array;
  private readonly docTerms: Int32Array;
  private readonly docWeights: Float32Array;
  /** Per term (CSR): documents in ascending order and the term's weight in each. */
  private readonly postStart: Int32Array;
  private readonly postDocs: Int32Array;
  private readonly postWeights: Float32Array;
  /** Accumulator of one query (Float32: a smaller working set than Float64, and still deterministic). */
  private readonly scores: Float32Array;
  /** Scratch: the query's weights by term, zero between queries. */
  private readonly dense: Float32Array;

  constructor(keys: string[], arrays: IndexArrays, vocabularySize: number) {
    this.size = keys.length;
    this.keys = keys;
    keys.forEach((key, i) => this.byKey.set(key, i));
    ({ docStart: this.docStart, docTerms: this.docTerms, docWeights: this.docWeights } = arrays);
    ({ postStart: this.postStart, postDocs: this.postDocs, postWeights: this.postWeights } = arrays);
    this.scores = new Float32Array(keys.length);
    this.dense = new Float32Array(vocabularySize);
  }

  /** An index over these documents (in any order). */
  static from(documents: readonly IndexedDocument[]): TextIndex {
    const builder = new TextIndexBuilder(documents.length);
    for (const doc of documents) builder.add(doc.key, doc.time, doc.text);
    return builder.build();
  }

  /** Positions (in docTerms) of the document's QUERY_TERMS heaviest terms, ties by term id. */
  private queryTerms(d: number): number[] {
    const positions: number[] = [];
    for (let j = this.docStart[d]!; j < this.docStart[d + 1]!; j += 1) positions.push(j);
    if (positions.length <= QUERY_TERMS) return positions;
    return positions.sort((a, b) => this.docWeights[b]! - this.docWeights[a]! || this.docTerms[a]! - this.docTerms[b]!).slice(0, QUERY_TERMS);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The k documents most similar to document `key` among those earlier than it, best first. */
  nearestEarlier(key: string, k: number): Neighbour[] {
    const d = this.byKey.get(key);
    if (d === undefined) throw new Error(`${key} is not in the text index`);
    // Earlier documents form the prefix before this one (time order; equal times by key, and arXiv
    // assigns ids in submission order, so a day's papers dated only by the day still have an order).
    const bound = d;
    if (bound === 0) return [];
    const { scores, postStart, postDocs, postWeights } = this;
    const touched: number[] = [];
    for (const j of this.queryTerms(d)) {
      const t = this.docTerms[j]!;
      const w = this.docWeights[j]!;
      const end = postStart[t + 1]!;
      for (let p = postStart[t]!; p < end; p += 1) {
        const other = postDocs[p]!;
        if (other >= bound) break;
        const before = scores[other]!;
        if (before === 0) touched.push(other);
        scores[other] = before + w * postWeights[p]!;
      }
    }
    // Keep the best candidates by the partial score (ties by the earlier document, so results never
    // depend on visiting order), then rank them by their exact cosine over all terms.
    const candidates = topByScore(touched, scores, RERANK_CANDIDATES);
    for (const other of touched) scores[other] = 0;
    const query = this.dense;
    for (let j = this.docStart[d]!; j < this.docStart[d + 1]!; j += 1) query[this.docTerms[j]!] = this.docWeights[j]!;
    const exact = candidates.map((other) => {
      let dot = 0;
      for (let j = this.docStart[other]!; j < this.docStart[other + 1]!; j += 1) dot += query[this.docTerms[j]!]! * this.docWeights[j]!;
      return { other, dot };
    });
    for (let j = this.docStart[d]!; j < this.docStart[d + 1]!; j += 1) query[this.docTerms[j]!] = 0;
    const best = exact
      .sort((a, b) => b.dot - a.dot || a.other - b.other)
      .slice(0, k)
      .map((c) => ({ key: this.keys[c.other]!, similarity: c.dot }));
    // Rounding can push the cosine of identical texts a hair above 1.
    return best.map((b) => ({ key: b.key, similarity: Math.min(1, b.similarity) }));
  }
}
