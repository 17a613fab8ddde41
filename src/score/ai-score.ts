/**
 * The AI Score (0-100): how much a digest reader would gain from a paper. Two documented versions:
 *   - offline: a weighted mean of six signals, each in [0, 1], over the signals that are known;
 *   - LLM: the rubric the summary call filled in (four criteria scored 1-5), when the paper's current
 *     summary carries one.
 * Both are pure functions of their inputs, so a recompute gives the same numbers.
 */
import { RUBRIC_CRITERIA, type Rubric } from '../domain/rubric.ts';
import { round } from './round.ts';

export type SignalKey = 'novelty' | 'numbers' | 'code' | 'breadth' | 'specificity' | 'trackRecord';

/** Weights of the offline signals; they sum to 100, so a weight reads as "points". */
export const SIGNAL_WEIGHTS: Record<SignalKey, number> = { novelty: 30, numbers: 20, code: 20, breadth: 10, specificity: 10, trackRecord: 10 };

/** How each signal is measured, shown on /about/scores. */
export const SIGNAL_DEFINITIONS: Record<SignalKey, string> = {
  novelty: 'Novelty % / 100.',
  numbers: 'results with numbers: quantitative results in the abstract (a number with %, ×, points, BLEU, F1, accuracy, "N times", "by N"), min(1, count / 2).',
  code: 'code released: 1 when a code link (GitHub, GitLab, Hugging Face, …) is in the abstract or comments, or the abstract says code, data or models are released or available; otherwise 0.',
  breadth: 'category breadth: min(1, (number of arXiv categories − 1) / 3).',
  specificity: 'abstract specificity: share of the abstract\'s sentences that name something concrete (a number, or a name such as ImageNet, GPT-4, CIFAR-10), times min(1, words / 80) so a two-line abstract cannot score full marks.',
  trackRecord: 'author track record: min(1, log2(1 + n) / log2(11)), n the most earlier papers any author has in the store; known only when the store holds at least 30 days of announcements before the paper, otherwise left out (and the other weights rescaled).',
};

export const SIGNAL_LABELS: Record<SignalKey, string> = {
  novelty: 'novelty',
  numbers: 'results with numbers',
  code: 'code released',
  breadth: 'category breadth',
  specificity: 'specific abstract',
  trackRecord: 'author track record',
};

export interface SignalInput {
  title: string;
  abstract: string;
  comment: string | null;
  categories: string[];
  /** A code link was found for the paper at ingest. */
  hasCode: boolean;
  /** Novelty %, 0-100. */
  novelty: number;
  /** Most earlier papers of any one author in the store; null when the store's history is too short to say. */
  authorPriorPapers: number | null;
}

export interface SignalValue {
  key: SignalKey;
  /** In [0, 1]; null when unknown. */
  value: number | null;
  weight: number;
  /** What was measured, e.g. "3 quantitative results". */
  detail: string;
}

const NUMERIC_RESULT =
  /\d(?:[\d,]*\d)?(?:\.\d+)?\s?(?:%|×|x\b|-?fold\b|times\b|points?\b|pp\b|BLEU\b|F1\b|ROUGE|accuracy\b|AUC\b|mAP\b|speed-?up\b)|\bby\s(?:up\sto\s)?\d+(?:\.\d+)?\b/gi;
const CODE_MENTION =
  /github\.com|gitlab\.com|huggingface\.co|\b(?:code|implementation|models?|data(?:sets?)?|weights|benchmark)\b[^.]{0,60}\b(?:available|released|open[- ]?sourced?|publicly)\b|\bwe (?:release|open-source|open source)\b/i;
const SPECIFIC_TOKEN = /\d|\b[A-Z][a-z]*[A-Z][A-Za-z]*\b|\b[A-Za-z]+-?\d+[A-Za-z\d]*\b/;
const TRACK_RECORD_SATURATION = 10;


function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z(\d])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function offlineSignals(input: SignalInput): SignalValue[] {
  const text = `${input.abstract}`;
  const numbers = (text.match(NUMERIC_RESULT) ?? []).length;
  const code = input.hasCode || CODE_MENTION.test(text) || CODE_MENTION.test(input.comment ?? '');
  const categories = new Set(input.categories).size;
  const sentences = sentencesOf(text);
  const specific = sentences.filter((s) => SPECIFIC_TOKEN.test(s)).length;
  const words = text.split(/\s+/).filter(Boolean).length;
  const specificity = sentences.length === 0 ? 0 : (specific / sentences.length) * Math.min(1, words / 80);
  const prior = input.authorPriorPapers;
  const signal = (key: SignalKey, value: number | null, detail: string): SignalValue => ({
    key,
    value: value === null ? null : round(value, 4),
    weight: SIGNAL_WEIGHTS[key],
    detail,
  });
  return [
    signal('novelty', input.novelty / 100, `Novelty ${Math.round(input.novelty)} %`),
    signal('numbers', Math.min(1, numbers / 2), numbers === 1 ? '1 quantitative result' : `${numbers} quantitative results`),
    signal('code', code ? 1 : 0, code ? 'code released' : 'no code link'),
    signal('breadth', Math.min(1, (categories - 1) / 3), `${categories} ${categories === 1 ? 'category' : 'categories'}`),
    signal('specificity', specificity, `${specific} of ${sentences.length} sentences specific`),
    signal(
      'trackRecord',
      prior === null ? null : Math.min(1, Math.log2(1 + prior) / Math.log2(1 + TRACK_RECORD_SATURATION)),
      prior === null ? 'unknown (store history under 30 days)' : `an author has ${prior} earlier ${prior === 1 ? 'paper' : 'papers'}`,
    ),
  ];
}

/** 100 × Σ weight × value / Σ weight over the known signals, to one decimal. */
export function offlineAiScore(signals: readonly SignalValue[]): number {
  let points = 0;
  let weights = 0;
  for (const s of signals) {
    if (s.value === null) continue;
    points += s.weight * s.value;
    weights += s.weight;
  }
  return weights === 0 ? 0 : round((100 * points) / weights, 1);
}

/** The rubric version: the mean of the four criteria, each mapped from 1-5 to 0-100, to one decimal. */
export function rubricAiScore(rubric: Rubric): number {
  const total = RUBRIC_CRITERIA.reduce((sum, c) => sum + (rubric[c].score - 1) / 4, 0);
  return round((100 * total) / RUBRIC_CRITERIA.length, 1);
}

/** The signals that decided an offline score: the largest contributions (weight × value), best first. */
export function decidingSignals(signals: readonly SignalValue[], count = 2): SignalValue[] {
  return signals
    .filter((s) => s.value !== null && s.value > 0 && s.key !== 'novelty')
    .sort((a, b) => b.weight * b.value! - a.weight * a.value! || a.key.localeCompare(b.key))
    .slice(0, count);
}
