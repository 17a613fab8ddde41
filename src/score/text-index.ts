/**
 * An in-memory TF-IDF index over titles and abstracts, for "the k nearest earlier papers". Works
 * offline and is exact: cosine similarity of log-tf × idf vectors, L2-normalised, over a vocabulary
 * that drops stopwords and terms found in more than MAX_DF_SHARE of the papers (they carry almost no
 * weight and would dominate the cost). Documents are ordered by (time, key), so "earlier" is a prefix
 * of the document list and a posting walk stops at the first later document.
 */

/** Terms in more than this share of the documents (and more than MIN_PRUNED_DF of them) are treated as stopwords. */
export const MAX_DF_SHARE = 0.1;
/** A small corpus keeps every term: in 20 papers, a word shared by three is still telling. */
export const MIN_PRUNED_DF = 100;

const STOPWORDS = new Set(
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
  text: string;
}

export interface Neighbour {
  key: string;
  similarity: number;
}

/** Splits lowercased text into term ids, assigning new ids as needed; numbers and short tokens are dropped. */
class Vocabulary {
  readonly ids = new Map<string, number>();
  /** Raw token → term id (-1: stopword), so each distinct token is stemmed once. */
  private readonly tokenCache = new Map<string, number>();

  termIds(text: string): number[] {
    const out: number[] = [];
    const lower = text.toLowerCase();
    let start = -1;
    let hasLetter = false;
    for (let i = 0; i <= lower.length; i += 1) {
      const c = i < lower.length ? lower.charCodeAt(i) : 32;
      const isLetter = c >= 97 && c <= 122;
      if (isLetter || (c >= 48 && c <= 57)) {
        if (start < 0) start = i;
        if (isLetter) hasLetter = true;
        continue;
      }
      if (start >= 0 && hasLetter && i - start >= 3) {
        const id = this.idOf(lower.slice(start, i));
        if (id >= 0) out.push(id);
      }
      start = -1;
      hasLetter = false;
    }
    return out;
  }

  private idOf(token: string): number {
    const cached = this.tokenCache.get(token);
    if (cached !== undefined) return cached;
    let id = -1;
    if (!STOPWORDS.has(token)) {
      const stem = stemPlural(token);
      if (!STOPWORDS.has(stem)) {
        id = this.ids.get(stem) ?? this.ids.size;
        if (id === this.ids.size) this.ids.set(stem, id);
      }
    }
    this.tokenCache.set(token, id);
    return id;
  }
}

export class TextIndex {
  readonly size: number;
  private readonly keys: string[];
  private readonly byKey = new Map<string, number>();
  /** Per document (CSR): its terms and normalised weights. */
  private readonly docStart: Int32Array;
  private readonly docTerms: Int32Array;
  private readonly docWeights: Float64Array;
  /** Per term (CSR): documents in ascending order and the term's weight in each. */
  private readonly postStart: Int32Array;
  private readonly postDocs: Int32Array;
  private readonly postWeights: Float64Array;
  private readonly scores: Float64Array;

  constructor(documents: readonly IndexedDocument[]) {
    // Time order, key as tie-break, so the index (and every score) is the same whatever order rows came in.
    const docs = [...documents].sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const n = docs.length;
    this.size = n;
    this.keys = docs.map((d) => d.key);
    this.keys.forEach((key, i) => this.byKey.set(key, i));
    const vocabulary = new Vocabulary();
    const termLists: Int32Array[] = [];
    const countLists: Float64Array[] = [];
    const df: number[] = [];
    for (const doc of docs) {
      const counts = new Map<number, number>();
      for (const id of vocabulary.termIds(doc.text)) counts.set(id, (counts.get(id) ?? 0) + 1);
      const terms = Int32Array.from(counts.keys()).sort();
      const tf = Float64Array.from(terms, (t) => counts.get(t)!);
      for (const t of terms) df[t] = (df[t] ?? 0) + 1;
      termLists.push(terms);
      countLists.push(tf);
    }
    const maxDf = Math.max(MIN_PRUNED_DF, Math.floor(n * MAX_DF_SHARE));
    const idf = Float64Array.from({ length: vocabulary.ids.size }, (_, t) => {
      const f = df[t] ?? 0;
      return f === 0 || f > maxDf ? 0 : Math.log(n / f);
    });
    this.docStart = new Int32Array(n + 1);
    let total = 0;
    for (let d = 0; d < n; d += 1) {
      for (const t of termLists[d]!) if (idf[t]! > 0) total += 1;
      this.docStart[d + 1] = total;
    }
    this.docTerms = new Int32Array(total);
    this.docWeights = new Float64Array(total);
    const postCount = new Int32Array(vocabulary.ids.size + 1);
    for (let d = 0; d < n; d += 1) {
      const terms = termLists[d]!;
      const tf = countLists[d]!;
      let at = this.docStart[d]!;
      let norm = 0;
      for (let j = 0; j < terms.length; j += 1) {
        const t = terms[j]!;
        if (idf[t]! === 0) continue;
        const w = (1 + Math.log(tf[j]!)) * idf[t]!;
        this.docTerms[at] = t;
        this.docWeights[at] = w;
        norm += w * w;
        postCount[t + 1]! += 1;
        at += 1;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = this.docStart[d]!; j < at; j += 1) this.docWeights[j]! *= scale;
    }
    for (let t = 0; t < vocabulary.ids.size; t += 1) postCount[t + 1]! += postCount[t]!;
    this.postStart = postCount;
    this.postDocs = new Int32Array(total);
    this.postWeights = new Float64Array(total);
    const fill = this.postStart.slice(0, vocabulary.ids.size);
    // Documents are visited in index order, so every posting list comes out sorted by document.
    for (let d = 0; d < n; d += 1) {
      for (let j = this.docStart[d]!; j < this.docStart[d + 1]!; j += 1) {
        const t = this.docTerms[j]!;
        const slot = fill[t]!;
        this.postDocs[slot] = d;
        this.postWeights[slot] = this.docWeights[j]!;
        fill[t] = slot + 1;
      }
    }
    this.scores = new Float64Array(n);
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
    const scores = this.scores;
    const touched: number[] = [];
    for (let j = this.docStart[d]!; j < this.docStart[d + 1]!; j += 1) {
      const t = this.docTerms[j]!;
      const w = this.docWeights[j]!;
      for (let p = this.postStart[t]!; p < this.postStart[t + 1]!; p += 1) {
        const other = this.postDocs[p]!;
        if (other >= bound) break;
        if (scores[other] === 0) touched.push(other);
        scores[other] = scores[other]! + w * this.postWeights[p]!;
      }
    }
    const best: Neighbour[] = [];
    const bestDoc: number[] = [];
    for (const other of touched) {
      const s = scores[other]!;
      scores[other] = 0;
      // Keep the k best, ties broken by the earlier document, so results never depend on visiting order.
      if (best.length === k && (s < best[k - 1]!.similarity || (s === best[k - 1]!.similarity && other > bestDoc[k - 1]!))) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1]!.similarity < s || (best[at - 1]!.similarity === s && bestDoc[at - 1]! > other))) at -= 1;
      best.splice(at, 0, { key: this.keys[other]!, similarity: s });
      bestDoc.splice(at, 0, other);
      if (best.length > k) {
        best.pop();
        bestDoc.pop();
      }
    }
    // Rounding can push the cosine of identical texts a hair above 1.
    return best.map((b) => ({ key: b.key, similarity: Math.min(1, b.similarity) }));
  }
}
