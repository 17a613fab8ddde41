/**
 * Judging one LLM answer: tolerant JSON extraction, then the summary schema (the same one every engine
 * meets) and the card's rules (card-rules.ts), then the faithfulness check. The first failing stage
 * names the ledger outcome; every problem names the field and the offending value, for the retry.
 */
import { z } from 'zod';
import { paperSummarySchema, type PaperSummary, type SummaryInput } from '../engine.ts';
import { RUBRIC_CRITERIA, rubricSchema, type Rubric } from '../../domain/rubric.ts';
import { canonicalTag } from '../../domain/tag-vocabulary.ts';
import { TAXONOMY } from '../../domain/taxonomy.ts';
import { checkCardRules, countWords } from '../card-rules.ts';
import { checkFaithfulness, checkLines } from './faithfulness.ts';
import { extractJson } from './json.ts';

/**
 * The schema of the LLM's answer: paperSummarySchema, after forgiving tag spelling ("nlp" is "NLP"),
 * near-synonyms ("LLMs" is "Large Language Models", tag-vocabulary.ts) and repeated tags. Unknown
 * fields are dropped; the rubric is judged on its own (see judgeRubric).
 */
export const llmSummarySchema = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { tags?: unknown }).tags)) return value;
  const tags = ((value as { tags: unknown[] }).tags).map((tag) => (typeof tag === 'string' ? (canonicalTag(tag) ?? tag) : tag));
  return { ...value, tags: [...new Set(tags)] };
}, paperSummarySchema);

export interface JudgeOptions {
  /** Language code of the card (default en). */
  language?: string;
}

export type AnswerVerdict =
  /** `rubric` is null when the answer had none or an unusable one (see judgeRubric). */
  | { outcome: 'success'; summary: PaperSummary; rubric: Rubric | null; rubricProblems: string[] }
  | { outcome: 'invalid_json' | 'schema_violation' | 'unfaithful'; problems: string[] };

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? 'the answer' : issue.path.map(String).join('.');
  return `${where}: ${issue.message}`;
}

/** Names what was written where a value is wrong (zod's enum message does not). */
function describeValue(issue: z.core.$ZodIssue, answer: unknown): string {
  let value: unknown = answer;
  for (const key of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (typeof value === 'string') return ` (got "${value.slice(0, 80)}")`;
  if (Array.isArray(value)) return ` (got ${value.length} items)`;
  return '';
}

export function judgeAnswer(text: string, input: SummaryInput, options: JudgeOptions = {}): AnswerVerdict {
  const json = extractJson(text);
  if (!json.ok) return { outcome: 'invalid_json', problems: [`${json.reason}; answer with one JSON object`] };
  const parsed = llmSummarySchema.safeParse(json.value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(issue) + describeValue(issue, json.value));
    if (parsed.error.issues.some((issue) => issue.path[0] === 'tags')) problems.push(`tags must be 1 to 4 of: ${TAXONOMY.join(', ')}`);
    if (parsed.error.issues.some((issue) => issue.path[0] === 'highlights')) problems.push('highlights must be exactly 4 non-empty strings');
    return { outcome: 'schema_violation', problems };
  }
  const broken = checkCardRules(parsed.data, { language: options.language ?? 'en', sourceWords: countWords(input.abstract) });
  if (broken.length > 0) return { outcome: 'schema_violation', problems: broken };
  const unfaithful = checkFaithfulness(parsed.data, input);
  if (unfaithful.length > 0) return { outcome: 'unfaithful', problems: unfaithful };
  const rubric = judgeRubric(json.value.rubric, input);
  return { outcome: 'success', summary: parsed.data, ...rubric };
}

/**
 * The AI Score rubric of an answer. A good summary is never rejected (and never paid for twice) over
 * its rubric: a missing, malformed or unfaithful rubric is dropped, and the paper's AI Score falls back
 * to the offline signals. Justifications meet the same faithfulness rule as the summary.
 */
export function judgeRubric(value: unknown, input: SummaryInput): { rubric: Rubric | null; rubricProblems: string[] } {
  if (value === undefined) return { rubric: null, rubricProblems: ['the answer has no rubric'] };
  const parsed = rubricSchema.safeParse(value);
  if (!parsed.success) return { rubric: null, rubricProblems: parsed.error.issues.map((issue) => describeIssue({ ...issue, path: ['rubric', ...issue.path] })) };
  const unfaithful = checkLines(RUBRIC_CRITERIA.map((c) => parsed.data[c].why), input);
  if (unfaithful.length > 0) return { rubric: null, rubricProblems: unfaithful.map((p) => `rubric: ${p}`) };
  return { rubric: parsed.data, rubricProblems: [] };
}
