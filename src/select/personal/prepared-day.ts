/**
 * One announcement day's candidates, prepared once for every reader: their TF-IDF vectors over the
 * day's feature space, an inverted index (feature → candidates) for similarity walks, the lower-case
 * text that keyword rules match against, and a cache of library papers' vectors (readers share many
 * papers). Everything a reader's ranking needs beyond this is sparse dot products.
 */
import { keywordMatcher } from './rules.ts';
import { FeatureSpace, termCounts, type PaperText, type SparseVector } from './text-features.ts';
import type { CandidatePaper } from './types.ts';

export interface PrepareOptions {
  /** Extra texts for document frequencies only (e.g. recent days), so one small day does not skew idf. */
  background?: Iterable<PaperText>;
}

export class PreparedDay {
  readonly candidates: readonly CandidatePaper[];
  readonly space: FeatureSpace;
  readonly vectors: readonly SparseVector[];
  /** Lower-case "title abstract" per candidate, for keyword rules. */
  readonly text: readonly string[];
  /** Inverted index in CSR form: candidates holding feature f are postDocs[postStart[f] … postStart[f+1]). */
  readonly postStart: Int32Array;
  readonly postDocs: Int32Array;
  readonly postWeights: Float32Array;
  private readonly libraryVectors = new Map<string, SparseVector>();
  private readonly keywords = new Map<string, Uint8Array>();
  private weights: Float64Array | null = null;
  private local: Int32Array | null = null;

  constructor(candidates: readonly CandidatePaper[], options: PrepareOptions = {}) {
    this.candidates = candidates;
    const counts = candidates.map((c) => termCounts(c));
    const background = [...(options.background ?? [])].map((p) => termCounts(p).keys());
    this.space = new FeatureSpace([...counts.map((c) => c.keys()), ...background]);
    this.vectors = counts.map((c) => this.space.vectorOfCounts(c));
    this.text = candidates.map((c) => `${c.title} ${c.abstract ?? ''}`.toLowerCase());
    const size = this.space.size;
    const postStart = new Int32Array(size + 1);
    for (const v of this.vectors) for (const f of v.ids) postStart[f + 1]! += 1;
    for (let f = 0; f < size; f += 1) postStart[f + 1]! += postStart[f]!;
    const fill = postStart.slice(0, size);
    this.postDocs = new Int32Array(postStart[size]!);
    this.postWeights = new Float32Array(postStart[size]!);
    this.vectors.forEach((v, doc) => {
      for (let j = 0; j < v.ids.length; j += 1) {
        const slot = fill[v.ids[j]!]!++;
        this.postDocs[slot] = doc;
        this.postWeights[slot] = v.weights[j]!;
      }
    });
    this.postStart = postStart;
  }

  /** A library or feedback paper's vector over the day's space, computed once per paper id per day. */
  vectorOf(paper: { id: string } & PaperText): SparseVector {
    let vector = this.libraryVectors.get(paper.id);
    if (vector === undefined) {
      vector = this.space.vector(paper);
      this.libraryVectors.set(paper.id, vector);
    }
    return vector;
  }

  /** A zeroed array over the feature space that a reader's model is spread into (and must zero again after use). */
  scratch(): Float64Array {
    this.weights ??= new Float64Array(this.space.size);
    return this.weights;
  }

  /** A −1-filled array over the feature space for a reader's feature → local id map (to be reset to −1 after use). */
  localIds(): Int32Array {
    this.local ??= new Int32Array(this.space.size).fill(-1);
    return this.local;
  }

  /** How many candidates hold feature `f`. */
  documentFrequency(f: number): number {
    return this.postStart[f + 1]! - this.postStart[f]!;
  }

  /** 1 for each candidate a keyword rule matches; computed once per day and keyword (readers share rules). */
  keywordMatches(keyword: string): Uint8Array {
    const key = keyword.trim().toLowerCase().replace(/\s+/g, ' ');
    let matches = this.keywords.get(key);
    if (matches === undefined) {
      const test = keywordMatcher(key);
      matches = Uint8Array.from(this.text, (text) => (test(text) ? 1 : 0));
      this.keywords.set(key, matches);
    }
    return matches;
  }
}
