/**
 * ROUGE-N and ROUGE-L (F-measure over the longest common subsequence), following Google's
 * `rouge-score` Python package (google-research/google-research, folder `rouge/`: rouge_scorer.py,
 * tokenize.py, scoring.py; Apache-2.0), which recent summarisation papers report and which
 * SciTLDR's evaluation uses with `use_stemmer=True`. The metric itself is from
 * C.-Y. Lin, "ROUGE: A Package for Automatic Evaluation of Summaries", ACL Workshop on Text
 * Summarization Branches Out, 2004.
 *
 * Behaviour matched here, step for step:
 * - tokenisation: lower-case; replace every run of characters outside [a-z0-9] with a space; split
 *   on whitespace; with stemming, Porter-stem only tokens longer than 3 characters (NLTK's
 *   PorterStemmer, default mode: src/summarize/offline/porter-stemmer.ts); drop empty tokens;
 * - ROUGE-N: clipped n-gram overlap, precision = overlap / max(prediction n-grams, 1),
 *   recall = overlap / max(target n-grams, 1);
 * - ROUGE-L: LCS length over the whole token sequences (not the summary-level "rougeLsum"),
 *   precision = LCS / prediction tokens, recall = LCS / target tokens, all 0 when either is empty;
 * - F-measure: 2PR / (P + R), 0 when P + R = 0.
 * Multi-reference scoring (`scoreAgainstReferences`) takes, per measure, the maximum F over the
 * references, as the SciTLDR paper (Cachola et al., Findings of EMNLP 2020) reports its results.
 */
import { cachedPorterStem } from '../summarize/offline/porter-stemmer.ts';

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

export interface TokenizeOptions {
  /** Porter-stem tokens longer than 3 characters (rouge-score's `use_stemmer`). Default true. */
  stem?: boolean;
}

const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

/** rouge-score's tokenizer: lower-case, non-[a-z0-9] runs to spaces, split, stem tokens of length > 3. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const stem = options.stem ?? true;
  const tokens = text.toLowerCase().replace(NON_ALPHANUMERIC, ' ').split(/\s+/);
  const result: string[] = [];
  for (const token of tokens) {
    if (token === '') continue;
    result.push(stem && token.length > 3 ? cachedPorterStem(token) : token);
  }
  return result;
}

export function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // Tokens are [a-z0-9]+, so a space can never occur inside one: it is a safe joiner.
    const key = n === 1 ? (tokens[i] as string) : tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N between already tokenised texts. */
export function rougeNFromTokens(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`ROUGE-N needs a positive integer n, got ${n}`);
  const targetCounts = ngramCounts(target, n);
  const predictionCounts = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [ngram, count] of targetCounts) overlap += Math.min(count, predictionCounts.get(ngram) ?? 0);
  const targetTotal = Math.max(target.length - n + 1, 0);
  const predictionTotal = Math.max(prediction.length - n + 1, 0);
  const precision = overlap / Math.max(predictionTotal, 1);
  const recall = overlap / Math.max(targetTotal, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Length of the longest common subsequence, O(|a|·|b|) time, O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] = ai === b[j - 1] ? (previous[j - 1] as number) + 1 : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/** ROUGE-L (sentence-level LCS) between already tokenised texts. */
export function rougeLFromTokens(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** ROUGE-N of `prediction` against `target` (rouge-score's `score(target, prediction)` argument order). */
export function rougeN(target: string, prediction: string, n: number, options?: TokenizeOptions): RougeScore {
  return rougeNFromTokens(tokenize(target, options), tokenize(prediction, options), n);
}

export function rougeL(target: string, prediction: string, options?: TokenizeOptions): RougeScore {
  return rougeLFromTokens(tokenize(target, options), tokenize(prediction, options));
}

/** ROUGE-1, ROUGE-2 and ROUGE-L of a prediction against one target. */
export function scoreRouge(target: string, prediction: string, options?: TokenizeOptions): RougeScores {
  const targetTokens = tokenize(target, options);
  const predictionTokens = tokenize(prediction, options);
  return scoreRougeTokens(targetTokens, predictionTokens);
}

export function scoreRougeTokens(target: readonly string[], prediction: readonly string[]): RougeScores {
  return {
    rouge1: rougeNFromTokens(target, prediction, 1),
    rouge2: rougeNFromTokens(target, prediction, 2),
    rougeL: rougeLFromTokens(target, prediction),
  };
}

/** F-measures only, the figure papers report. */
export interface RougeF {
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

/**
 * Per measure, the best F-measure of the prediction over several references (SciTLDR's
 * multi-target protocol). No references gives zeros.
 */
export function scoreAgainstReferences(references: readonly string[], prediction: string, options?: TokenizeOptions): RougeF {
  const predictionTokens = tokenize(prediction, options);
  const best: RougeF = { rouge1: 0, rouge2: 0, rougeL: 0 };
  for (const reference of references) {
    const scores = scoreRougeTokens(tokenize(reference, options), predictionTokens);
    best.rouge1 = Math.max(best.rouge1, scores.rouge1.fmeasure);
    best.rouge2 = Math.max(best.rouge2, scores.rouge2.fmeasure);
    best.rougeL = Math.max(best.rougeL, scores.rougeL.fmeasure);
  }
  return best;
}
