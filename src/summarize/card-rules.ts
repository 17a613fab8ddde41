/**
 * The card's shape as the product defines it (../shared/product/README.md), checked on any engine's
 * output: exactly 4 one-sentence highlights of at most 24 words, a one-sentence TL;DR of at most 30
 * words, a Summary paragraph of 120-200 words, Methodology / Results / Implications of 2-4 sentences,
 * 1-4 tags. The schema (engine.ts) checks types; these rules check lengths, which a schema sent to a
 * model can only ask for. Each violation names the field and the measured value, so a corrective
 * retry can tell the model exactly what to fix.
 *
 * Words are what a writer counts: space-separated tokens ("state-of-the-art" is one), or, in scripts
 * written without spaces (Chinese, Japanese, Thai), Intl.Segmenter's words. Sentences are split by
 * Intl.Segmenter for the card's language, English ones by the abstract splitter the offline engine
 * uses, which knows "e.g." and "Fig. 3" do not end a sentence.
 */
import type { PaperSummary } from './engine.ts';
import { splitSentences } from './sentences.ts';

export const CARD_LIMITS = {
  tldrMaxWords: 30,
  highlightMaxWords: 24,
  summaryMinWords: 120,
  summaryMaxWords: 200,
  sectionMinSentences: 2,
  sectionMaxSentences: 4,
  /** A section is 2-4 sentences, not 2-4 paragraphs: bounds a run-on sentence too. */
  sectionMaxWords: 140,
  minTags: 1,
  maxTags: 4,
} as const;

export interface CardRuleOptions {
  /** Language code of the card (default en). */
  language?: string;
  /**
   * Words in the paper's abstract: a Summary need not be longer than the abstract it summarises
   * (its minimum drops to this count), since the only way to fill it would be to invent.
   */
  sourceWords?: number;
  /**
   * Sentences in the paper's abstract, for an extractive engine only (the offline one): its sections
   * quote the abstract, so a section need not have more sentences than the abstract has (a
   * one-sentence abstract gives one-sentence sections). Leave unset for engines that write their
   * own sentences (LLMs): their sections always need 2-4 sentences.
   */
  extractiveSourceSentences?: number;
}

const segmenters = new Map<string, { words: Intl.Segmenter; sentences: Intl.Segmenter }>();

function segmenterFor(language: string): { words: Intl.Segmenter; sentences: Intl.Segmenter } {
  let cached = segmenters.get(language);
  if (!cached) {
    cached = { words: new Intl.Segmenter(language, { granularity: 'word' }), sentences: new Intl.Segmenter(language, { granularity: 'sentence' }) };
    segmenters.set(language, cached);
  }
  return cached;
}

const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

export function countWords(text: string, language = 'en'): number {
  if (!UNSPACED_SCRIPT.test(text)) return text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
  let words = 0;
  for (const segment of segmenterFor(language).words.segment(text)) if (segment.isWordLike) words++;
  return words;
}

export function countSentences(text: string, language = 'en'): number {
  if (language.split('-')[0] === 'en') return splitSentences(text).length;
  let sentences = 0;
  for (const segment of segmenterFor(language).sentences.segment(text)) if (segment.segment.trim() !== '') sentences++;
  return sentences;
}

/** The violations of the card's rules: empty when the card fits. */
export function checkCardRules(summary: PaperSummary, options: CardRuleOptions = {}): string[] {
  const language = options.language ?? 'en';
  const words = (text: string) => countWords(text, language);
  const sentences = (text: string) => countSentences(text, language);
  const L = CARD_LIMITS;
  const problems: string[] = [];
  const tldrWords = words(summary.tldr);
  if (tldrWords > L.tldrMaxWords) problems.push(`tldr: ${tldrWords} words; at most ${L.tldrMaxWords}`);
  if (sentences(summary.tldr) > 1) problems.push(`tldr: ${sentences(summary.tldr)} sentences; exactly one`);
  if (summary.tags.length < L.minTags || summary.tags.length > L.maxTags) problems.push(`tags: ${summary.tags.length}; ${L.minTags} to ${L.maxTags}`);
  if (new Set(summary.tags).size !== summary.tags.length) problems.push('tags: a tag is repeated');
  if (summary.highlights.length !== 4) problems.push(`highlights: ${summary.highlights.length}; exactly 4`);
  summary.highlights.forEach((highlight, i) => {
    const n = words(highlight);
    if (n > L.highlightMaxWords) problems.push(`highlights.${i}: ${n} words; at most ${L.highlightMaxWords}`);
    const s = sentences(highlight);
    if (s > 1) problems.push(`highlights.${i}: ${s} sentences; one sentence on one line`);
    if (/\n/.test(highlight)) problems.push(`highlights.${i}: contains a line break; one line`);
  });
  const minSummary = Math.min(L.summaryMinWords, options.sourceWords ?? Infinity);
  const summaryWords = words(summary.sections.summary);
  if (summaryWords < minSummary || summaryWords > L.summaryMaxWords) {
    problems.push(`sections.summary: ${summaryWords} words; ${minSummary} to ${L.summaryMaxWords}`);
  }
  const minSentences = Math.max(1, Math.min(L.sectionMinSentences, options.extractiveSourceSentences ?? Infinity));
  for (const name of ['methodology', 'results', 'implications'] as const) {
    const text = summary.sections[name];
    const s = sentences(text);
    if (s < minSentences || s > L.sectionMaxSentences) problems.push(`sections.${name}: ${s} sentences; ${minSentences} to ${L.sectionMaxSentences}`);
    const n = words(text);
    if (n > L.sectionMaxWords) problems.push(`sections.${name}: ${n} words; at most ${L.sectionMaxWords}`);
  }
  return problems;
}
