/**
 * Features of abstract sentences for the sentence-role model (role-model.ts), shared by training
 * (scripts/train-role-classifier.ts) and inference so the two can never drift apart.
 *
 * Each sentence becomes a set of features: Porter-stemmed words and bigrams, its opening words,
 * where it sits in the abstract, its length and shape, and the opening words of its neighbours
 * (context matters: "We evaluate on X." after a method sentence is still method; a copyright line
 * after the last result is "other"). The linear-chain model adds label transitions on top. The
 * neighbours' full bag of words is available as an option but did not help in cross-validation.
 *
 * Features are produced through a visitor (type, key[, second key]) so inference can look weights
 * up in nested maps without building a string per feature; training joins them into names.
 */
import { cachedPorterStem } from './porter-stemmer.ts';
import type { WordVectors } from './word-vectors.ts';

/** The CSAbstruct roles, in the fixed order the weights file uses. */
export const ROLE_LABELS = ['background', 'objective', 'method', 'result', 'other'] as const;
export type RoleLabel = (typeof ROLE_LABELS)[number];

/** Which feature groups are on; stored in the weights file so inference extracts what training did. */
export interface RoleFeatureConfig {
  bigrams: boolean;
  /** Unigrams of the previous and next sentence, prefixed "p:" and "n:". */
  neighbourWords: boolean;
  /** Opening words of the previous and next sentence. */
  neighbourOpeners: boolean;
  /** Relative position crossed with the opening word. */
  positionOpener: boolean;
  /** Every word crossed with a coarse place in the abstract (first sentence, middle, last); absent: off. */
  wordPosition?: boolean;
  /**
   * Dense blocks from pretrained word vectors (word-vectors.ts), in this order; absent or empty: none.
   * See DENSE_BLOCKS.
   */
  dense?: DenseBlock[];
}

/**
 * Dense feature blocks, each `dimensions` wide: the sentence's mean word vector ("mean"), its
 * component-wise maximum ("max"), the previous and next sentence's mean ("prev", "next": zero at
 * the ends), the sentence's mean minus the abstract's ("diff": what sets it apart), and the mean
 * of its first OPENING_WORDS known words ("open": "we present" near "we propose", not topic words).
 */
const OPENING_WORDS = 4;
export const DENSE_BLOCKS = ['mean', 'max', 'prev', 'next', 'diff', 'open'] as const;
export type DenseBlock = (typeof DENSE_BLOCKS)[number];

export const DEFAULT_FEATURE_CONFIG: RoleFeatureConfig = {
  bigrams: true,
  neighbourWords: false,
  neighbourOpeners: true,
  positionOpener: true,
};

/** Words, numbers and the few punctuation marks that carry role evidence (% © : ? ( ;). */
const TOKEN = /[a-z]+|\d+(?:[.,]\d+)*|[%©:?(;=$]/g;
const NUMBER = /^\d/;

/** Lower-cased tokens of a sentence: stems for words, "<num>" for numbers, punctuation as is. */
export function roleTokens(sentence: string): string[] {
  const tokens: string[] = [];
  for (const match of sentence.toLowerCase().matchAll(TOKEN)) {
    const token = match[0];
    if (NUMBER.test(token)) tokens.push('<num>');
    else if (token.length === 1 && !/[a-z]/.test(token)) tokens.push(token);
    else tokens.push(cachedPorterStem(token));
  }
  return tokens;
}

const WORD = /[a-z]+/g;

/** Lower-case alphabetic words of a text, unstemmed: the keys of the word vectors. */
export function embeddingWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The dense features of every sentence of an abstract (config.dense blocks, concatenated), or
 * undefined when the config has none. Words without a vector are skipped; a sentence with no known
 * word has a zero mean.
 */
export function denseAbstractFeatures(
  sentences: readonly string[],
  config: RoleFeatureConfig,
  vectors: WordVectors,
): Float64Array[] | undefined {
  const blocks = config.dense ?? [];
  if (blocks.length === 0) return undefined;
  const d = vectors.dimensions;
  const wantMax = blocks.includes('max');
  const means: Float64Array[] = [];
  const maxima: Float64Array[] = [];
  const openings: Float64Array[] = [];
  const abstractMean = new Float64Array(d);
  let abstractWords = 0;
  for (const sentence of sentences) {
    const mean = new Float64Array(d);
    const max = new Float64Array(d);
    const scratch = new Float64Array(d);
    const opening = new Float64Array(d);
    let known = 0;
    for (const word of embeddingWords(sentence)) {
      if (known < OPENING_WORDS && vectors.addTo(word, opening) && known + 1 === OPENING_WORDS) {
        for (let i = 0; i < d; i++) opening[i] = (opening[i] as number) / OPENING_WORDS;
      }
      if (wantMax) {
        scratch.fill(0);
        if (!vectors.addTo(word, scratch)) continue;
        for (let i = 0; i < d; i++) {
          const value = scratch[i] as number;
          mean[i] = (mean[i] as number) + value;
          if (known === 0 || value > (max[i] as number)) max[i] = value;
        }
      } else if (!vectors.addTo(word, mean)) continue;
      known++;
    }
    for (let i = 0; i < d; i++) abstractMean[i] = (abstractMean[i] as number) + (mean[i] as number);
    abstractWords += known;
    if (known > 0) for (let i = 0; i < d; i++) mean[i] = (mean[i] as number) / known;
    if (known > 0 && known < OPENING_WORDS) for (let i = 0; i < d; i++) opening[i] = (opening[i] as number) / known;
    means.push(mean);
    openings.push(opening);
    maxima.push(max);
  }
  if (abstractWords > 0) for (let i = 0; i < d; i++) abstractMean[i] = (abstractMean[i] as number) / abstractWords;
  const zero = new Float64Array(d);
  return sentences.map((_, index) => {
    const features = new Float64Array(blocks.length * d);
    blocks.forEach((block, b) => {
      const mean = means[index] as Float64Array;
      if (block === 'diff') {
        for (let i = 0; i < d; i++) features[b * d + i] = (mean[i] as number) - (abstractMean[i] as number);
        return;
      }
      const source =
        block === 'mean'
          ? mean
          : block === 'max'
            ? maxima[index]
            : block === 'open'
              ? openings[index]
              : block === 'prev'
                ? (means[index - 1] ?? zero)
                : (means[index + 1] ?? zero);
      features.set(source as Float64Array, b * d);
    });
    return features;
  });
}

function bucket(value: number, bounds: readonly number[]): number {
  let index = 0;
  while (index < bounds.length && value > (bounds[index] as number)) index++;
  return index;
}

const LENGTH_BOUNDS = [3, 6, 10, 15, 22, 30, 45];
const COUNT_BOUNDS = [3, 5, 7, 9, 12];

/** Precomputed feature types with a bucket in their name, so the hot loop builds no strings. */
const BUCKET_TYPES = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const LENGTH_BY_POSITION = BUCKET_TYPES('len&rp:', (LENGTH_BOUNDS.length + 1) * 5);
const POSITION_OPENER = BUCKET_TYPES('rp&f1:', 5);
const END_OPENER = BUCKET_TYPES('e&f1:', 2);
const WORD_BY_PLACE = ['w&first', 'w&middle', 'w&last'];
const NUMBERS = Array.from({ length: 16 }, (_, i) => String(i));

/**
 * Receives the features of one sentence: a feature is a type and a key, or a type and a pair of
 * tokens (bigrams, two-word openers). Its name in the weights file is `type=key` or `type=a_b`;
 * types never contain "=" and tokens never contain "_", so names parse back unambiguously.
 */
export type FeatureVisitor = (type: string, key: string, second?: string) => void;

/** Visits the features of sentence `index` of an abstract, given every sentence's tokens. */
export function visitSentenceFeatures(
  sentence: string,
  index: number,
  tokenised: readonly (readonly string[])[],
  config: RoleFeatureConfig,
  visit: FeatureVisitor,
): void {
  const tokens = tokenised[index] ?? [];
  const total = tokenised.length;
  visit('bias', '');
  for (const token of tokens) visit('w', token);
  if (config.bigrams) {
    let previous = '<s>';
    for (const token of tokens) {
      visit('b', previous, token);
      previous = token;
    }
  }
  visitOpeners('', tokens, visit);
  visit('f3', tokens.slice(0, 3).join('_'));

  const relative = total > 1 ? index / (total - 1) : 0;
  const relativeBucket = Math.min(4, Math.floor(relative * 5));
  const lengthBucket = bucket(tokens.length, LENGTH_BOUNDS);
  const first = tokens[0] ?? '';
  visit('rp', NUMBERS[relativeBucket] as string);
  visit('i', NUMBERS[Math.min(index, 4)] as string);
  visit('e', NUMBERS[Math.min(total - 1 - index, 3)] as string);
  visit('n', NUMBERS[bucket(total, COUNT_BOUNDS)] as string);
  visit('len', NUMBERS[lengthBucket] as string);
  visit(LENGTH_BY_POSITION[lengthBucket * 5 + relativeBucket] as string, '');
  if (config.wordPosition === true) {
    const type = WORD_BY_PLACE[index === 0 ? 0 : index === total - 1 ? 2 : 1] as string;
    for (const token of tokens) visit(type, token);
  }
  if (config.positionOpener) {
    visit(POSITION_OPENER[relativeBucket] as string, first);
    visit(END_OPENER[Math.min(total - 1 - index, 1)] as string, first);
  }

  // Shape: copyright lines, keyword lists and fragments are "other"; first-person statements are not background.
  const trimmed = sentence.trim();
  if (/^[a-z]/.test(trimmed)) visit('shape', 'lower-start');
  if (!/[.!?]["')\]]*$/.test(trimmed)) visit('shape', 'no-final-stop');
  if (/\b(?:we|our|us)\b/i.test(trimmed)) visit('shape', 'first-person');
  if (/\b(?:19|20)\d\d\b/.test(trimmed)) visit('shape', 'year');
  if (/[A-Z]{2,}/.test(trimmed)) visit('shape', 'acronym');
  if (trimmed.length > 0 && letterCount(trimmed) / trimmed.length < 0.6) visit('shape', 'few-letters');

  if (config.neighbourWords || config.neighbourOpeners) {
    for (const [prefix, neighbour] of [
      ['p:', index - 1],
      ['n:', index + 1],
    ] as const) {
      const neighbourTokens = tokenised[neighbour];
      if (neighbourTokens === undefined) {
        visit(`${prefix}none`, '');
        continue;
      }
      if (config.neighbourOpeners) visitOpeners(prefix, neighbourTokens, visit);
      if (config.neighbourWords) for (const token of neighbourTokens) visit(`${prefix}w`, token);
    }
  }
}

/** One- and two-token openers: types f1 and f2, with a prefix for neighbours. */
function visitOpeners(prefix: '' | 'p:' | 'n:', tokens: readonly string[], visit: FeatureVisitor): void {
  const first = tokens[0] ?? '';
  visit(prefix === '' ? 'f1' : prefix === 'p:' ? 'p:f1' : 'n:f1', first);
  const type = prefix === '' ? 'f2' : prefix === 'p:' ? 'p:f2' : 'n:f2';
  const second = tokens[1];
  if (second === undefined) visit(type, first);
  else visit(type, first, second);
}

function letterCount(text: string): number {
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) letters++;
    else if (code > 127 && /\p{L}/u.test(text[i] as string)) letters++;
  }
  return letters;
}

/** The feature name a visit stands for. */
export function featureName(type: string, key: string, second?: string): string {
  return second === undefined ? `${type}=${key}` : `${type}=${key}_${second}`;
}

/** The feature names of every sentence of one abstract, in order (each name once per sentence). */
export function abstractFeatures(
  sentences: readonly string[],
  config: RoleFeatureConfig = DEFAULT_FEATURE_CONFIG,
): string[][] {
  const tokenised = sentences.map(roleTokens);
  return sentences.map((sentence, index) => {
    const names = new Set<string>();
    visitSentenceFeatures(sentence, index, tokenised, config, (type, key, second) => {
      names.add(featureName(type, key, second));
    });
    return [...names];
  });
}
