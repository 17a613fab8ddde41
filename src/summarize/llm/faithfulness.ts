/**
 * Faithfulness check of an LLM summary against the paper's own text (title, abstract, comments).
 * The rule is deliberately mechanical, so a reader can trust that no figure or benchmark was invented:
 *
 * Numbers: every number in the summary (digits, also inside words such as "7B" or "GPT-4") must occur
 *   in the source with its sign and unit. Thousands separators and spacing are normalised first
 *   ("1,000" = "1000", "12.5 %" = "12.5%" = "12.5 percent", "12.50" = "12.5", "9.64x" = "9.64×").
 *   The unit travels with the number (%, percentage points, points, ×/x/times, K/M/B/T, ms/s/min/h,
 *   KB/MB/GB/TB): "94%" never matches "94×", "7B" never "7M". A range's unit written once applies to
 *   both ends ("4.7–18.9%", "1.7B–8B"); a sign is part of the number ("−3.2" is not "3.2"). A bare
 *   number claims less and may match the source's number with any unit. Numbers written as words
 *   ("seven") are not checked; "1k" does not match "1,000".
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
  return text.replace(/[\u00a0\u2009\u202f]/g, ' ').replace(/％/g, '%');
}

function canonicalNumber(digits: string, fraction: string | undefined): string {
  return String(Number(digits.replace(/,/g, '') + (fraction ?? '')));
}

/** Written units and their canonical form: the unit is part of the number ("94%" is not "94×"). */
const UNIT_WORDS: Record<string, string> = {
  '%': '%', percent: '%', 'per cent': '%',
  pp: 'pp', 'percentage points': 'pp', 'percentage point': 'pp', points: 'pt', point: 'pt', pts: 'pt',
  '×': '×', x: '×', times: '×', fold: '×',
  k: 'K', thousand: 'K', m: 'M', million: 'M', b: 'B', billion: 'B', t: 'T', trillion: 'T',
  ms: 'ms', millisecond: 'ms', milliseconds: 'ms', s: 's', sec: 's', second: 's', seconds: 's',
  min: 'min', minute: 'min', minutes: 'min', h: 'h', hr: 'h', hour: 'h', hours: 'h',
  kb: 'KB', mb: 'MB', gb: 'GB', tb: 'TB',
};
// Longest first, so "ms" is not read as "m", nor "percentage points" as "points".
const UNIT_ALTERNATIVES = Object.keys(UNIT_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace(/ /g, '\\s+'))
  .join('|');

const NUM = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?`;
/**
 * sign (only where it cannot be a hyphen: at the start, after a space or an opening bracket), number,
 * optional unit, optional range ("-", "–", "to") with its own sign and number and unit. Units are
 * case-insensitive but "m"/"t" must be capitals (175M; "5 m" is metres, not millions).
 */
const QUANTITY_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,])([-−+±]?)${NUM}(?:\s?(${UNIT_ALTERNATIVES})(?![\p{L}\p{N}]))?(?:\s*(?:-|–|—|to)\s*([-−+]?)${NUM}(?:\s?(${UNIT_ALTERNATIVES})(?![\p{L}\p{N}]))?)?`,
  'giu',
);

function canonicalUnit(written: string | undefined): string {
  if (written === undefined) return '';
  const lower = written.toLowerCase().replace(/\s+/g, ' ');
  // Lower-case m and t after a number are metres, tonnes ... not multipliers ("7b" is a model size).
  if (written === 'm' || written === 't') return `(${written})`;
  return UNIT_WORDS[lower] ?? '';
}

const canonicalSign = (sign: string | undefined): string => (sign === '-' || sign === '−' ? '-' : sign === '±' ? '±' : '');

/** One number of a text as written: sign, value, unit ('' when none), e.g. "-3.2", "94%", "1.7B". */
export interface Quantity {
  value: string;
  unit: string;
  /** What a reader sees: sign, value and unit. */
  written: string;
}

/** Every number of a text, sign and unit attached; a range's unit written once applies to both ends ("4.7–18.9%"). */
export function extractQuantities(text: string): Quantity[] {
  const found: Quantity[] = [];
  for (const match of normaliseSpacing(text).matchAll(QUANTITY_PATTERN)) {
    const [, sign1, digits1, fraction1, unit1, sign2, digits2, fraction2, unit2] = match;
    const end = canonicalUnit(unit2);
    const first = canonicalUnit(unit1) || (digits2 !== undefined ? end : '');
    const push = (sign: string | undefined, digits: string, fraction: string | undefined, unit: string) => {
      const value = canonicalSign(sign) + canonicalNumber(digits, fraction);
      found.push({ value, unit, written: value + unit });
    };
    push(sign1, digits1!, fraction1, first);
    if (digits2 !== undefined) push(sign2, digits2, fraction2, end);
  }
  return found;
}

/** Canonical numbers of a text: "12.5" for plain numbers, "12.5%" for percentages (the percent view of extractQuantities). */
export function extractNumbers(text: string): { plain: Set<string>; percent: Set<string> } {
  const quantities = extractQuantities(text);
  return { plain: new Set(quantities.map((q) => q.value)), percent: new Set(quantities.filter((q) => q.unit === '%').map((q) => q.value)) };
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
  const sourceQuantities = new Map<string, Set<string>>();
  for (const q of extractQuantities(sourceText)) sourceQuantities.set(q.value, (sourceQuantities.get(q.value) ?? new Set()).add(q.unit));
  const sourceNames = sourceNameKeys(sourceText);
  const problems = new Set<string>();
  for (const line of lines) {
    for (const quantity of extractQuantities(line)) {
      const asWritten = sourceQuantities.get(quantity.value);
      // A number with a unit must occur with that unit; a bare number claims less and may match any.
      if (asWritten !== undefined && (quantity.unit === '' || asWritten.has(quantity.unit))) continue;
      const elsewhere = asWritten === undefined ? '' : ` (the paper writes ${[...asWritten].map((unit) => `"${quantity.value}${unit}"`).join(', ')})`;
      problems.add(`the number "${quantity.written}" does not occur in the paper's title, abstract or comments${elsewhere}`);
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
