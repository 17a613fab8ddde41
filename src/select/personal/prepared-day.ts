/**
 * One announcement day's candidates, prepared once for every reader: their TF-IDF vectors over the
 * day's feature space, an inverted index (feature → candidates) for similarity walks, the lower-case
 * text that keyword rules match against, and a cache of library papers' vectors (readers share many
 * papers). Everything a reader's ranking needs beyond this is sparse dot products.
 */
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
  private weights: Float64Array | null = null;

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
}
