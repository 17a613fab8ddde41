/**
 * Faithfulness check of an LLM summary against the paper's own text (title, abstract, comments).
 * The rule is deliberately mechanical, so a reader can trust that no figure or benchmark was invented:
 *
 * Numbers: every number in the summary (digits, also inside words such as "7B" or "GPT-4") must occur
 *   in the source. Thousands separators and spacing are normalised first ("1,000" = "1000",
 *   "12.5 %" = "12.5%" = "12.5 percent", "12.50" = "12.5"). A percentage must occur as a percentage
 *   (a range such as "10-20%" makes both ends percentages); a plain number may match either form.
 *   Numbers written as words ("seven") are not checked; "1k" does not match "1,000".
 *
 * Names: a word that looks like a dataset, benchmark or model name must occur in the source. A word
 *   looks like a name when it (or one of its hyphen/dot-separated parts) has two or more capital
 *   letters (GLUE, MMLU, COCO, SQuAD, ImageNet, HumanEval, MS-COCO) or mixes a capital with a digit
 *   (GSM8K, CIFAR-10, T5, Llama-2). Title-case compounds (Vision-Language) and single capitals (The,
 *   Transformer) are not names. Matching ignores case, hyphens and dots, a plural "s", and may span two
 *   source words ("MS COCO" matches "MS-COCO"); a hyphenated word passes when each of its name-like
 *   parts does ("RL-free", "CIFAR-10" when the source names CIFAR; its number 10 is checked as a number). Generic ML acronyms that name no dataset (LLM, NLP,
 *   RL, GPU, SOTA, ...) and Roman numerals are allowed.
 */
import type { PaperSummary } from '../engine.ts';

export interface FaithfulnessSource {
  title: string;
  abstract: string;
  comment: string | null;
}

/** Acronyms a faithful summary may use although the abstract spells them out or implies them. */
const GENERIC_ACRONYMS = new Set(
  [
    'AI', 'ML', 'DL', 'LLM', 'LM', 'NLP', 'NLU', 'NLG', 'CV', 'RL', 'RLHF', 'GPU', 'TPU', 'CPU', 'API', 'SOTA',
    'CNN', 'RNN', 'GNN', 'MLP', 'VLM', 'MLLM', 'LVLM', 'VLA', 'QA', 'VQA', 'RAG', 'MoE', 'KV', 'SGD', 'ODE', 'PDE',
    'OOD', 'IID', 'URL', 'PDF', 'US', 'UK', 'EU', 'TL;DR', 'TLDR',
  ].map((a) => a.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')),
);

function normaliseSpacing(text: string): string {
  return text.replace(/[\u00a0\u2009\u202f]/g, ' ').replace(/％/g, '%').replace(/[–—−]/g, '-');
}

function canonicalNumber(digits: string, fraction: string | undefined): string {
  return String(Number(digits.replace(/,/g, '') + (fraction ?? '')));
}

const NUMBER_PATTERN =
  /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(?:-|to)\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?)?(\s*(?:%|percent\b|per cent\b))?/gi;

/** Canonical numbers of a text: "12.5" for plain numbers, "12.5%" for percentages. */
export function extractNumbers(text: string): { plain: Set<string>; percent: Set<string> } {
  const plain = new Set<string>();
  const percent = new Set<string>();
  for (const match of normaliseSpacing(text).matchAll(NUMBER_PATTERN)) {
    const values = [canonicalNumber(match[1]!, match[2])];
    if (match[3] !== undefined) values.push(canonicalNumber(match[3], match[4]));
    for (const value of values) {
      plain.add(value);
      if (match[5] !== undefined) percent.add(value);
    }
  }
  return { plain, percent };
}

const TOKEN_PATTERN = /[\p{L}\p{N}]+(?:[-.'’+][\p{L}\p{N}]+)*/gu;

function tokens(text: string): string[] {
  return [...normaliseSpacing(text).matchAll(TOKEN_PATTERN)].map((m) => m[0].replace(/['’]s$/i, ''));
}

const upperCount = (text: string): number => (text.match(/\p{Lu}/gu) ?? []).length;

/** Does this word look like a dataset, benchmark or model name (see the rule above)? */
export function looksLikeName(token: string): boolean {
  if (!/\p{L}/u.test(token)) return false;
  if (/^[IVXL]+$/.test(token)) return false; // Roman numerals
  if (/\p{Lu}/u.test(token) && /\d/.test(token)) return true;
  return token.split(/[-.'’+]/).some((part) => upperCount(part) >= 2);
}

const nameKey = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
const singular = (key: string): string => (key.length > 2 && key.endsWith('s') ? key.slice(0, -1) : key);

function sourceNameKeys(text: string): Set<string> {
  const words = tokens(text);
  const keys = new Set<string>();
  words.forEach((word, i) => {
    const key = nameKey(word);
    keys.add(key).add(singular(key));
    for (const part of word.split(/[-.'’+]/)) keys.add(nameKey(part)).add(singular(nameKey(part)));
    const next = words[i + 1];
    if (next !== undefined) {
      const pair = key + nameKey(next);
      keys.add(pair).add(singular(pair));
    }
  });
  return keys;
}

/** Every text line of a summary that a reader sees (tags come from the fixed taxonomy and are not checked). */
export function summaryText(summary: PaperSummary): string[] {
  return [summary.tldr, ...summary.highlights, ...Object.values(summary.sections)];
}

/** The problems found: empty when the summary is faithful. Each names the offending number or name. */
export function checkFaithfulness(summary: PaperSummary, source: FaithfulnessSource): string[] {
  return checkLines(summaryText(summary), source);
}

/** The same check over any lines a reader sees (summary lines, rubric justifications). */
export function checkLines(lines: readonly string[], source: FaithfulnessSource): string[] {
  const sourceText = [source.title, source.abstract, source.comment ?? ''].join('\n');
  const sourceNumbers = extractNumbers(sourceText);
  const sourceNames = sourceNameKeys(sourceText);
  const problems = new Set<string>();
  for (const line of lines) {
    const numbers = extractNumbers(line);
    for (const value of numbers.percent) {
      if (!sourceNumbers.percent.has(value)) problems.add(`the percentage "${value}%" does not occur in the paper's title, abstract or comments`);
    }
    for (const value of numbers.plain) {
      if (!numbers.percent.has(value) && !sourceNumbers.plain.has(value)) {
        problems.add(`the number "${value}" does not occur in the paper's title, abstract or comments`);
      }
    }
    for (const token of tokens(line)) {
      if (!looksLikeName(token)) continue;
      const known = (word: string): boolean => {
        const key = nameKey(word);
        return [key, singular(key)].some((k) => GENERIC_ACRONYMS.has(k) || sourceNames.has(k));
      };
      if (known(token)) continue;
      // A compound passes when each of its name-like parts does (RL-free, GPT-4-based); its numbers are checked above.
      const parts = token.split(/[-.'’+]/);
      if (parts.length > 1 && parts.filter(looksLikeName).every(known)) continue;
      problems.add(`the name "${token}" (a dataset, benchmark or model?) does not occur in the paper's title, abstract or comments`);
    }
  }
  return [...problems];
}
