/**
 * The LLM path's check in `npm run eval`: a fixed set of recorded good and bad answers for one paper
 * (test/fixtures/llm-answers/answers.json), each judged exactly as the LLM engine judges an answer
 * (answer.ts: JSON, schema, card rules, faithfulness with units). Reports how many bad answers are
 * caught and how many good ones pass; both must be 100 %.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { judgeAnswer } from '../summarize/llm/answer.ts';

export const DEFAULT_LLM_ANSWERS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/llm-answers/answers.json');

const answerSetSchema = z.object({
  paper: z.object({ id: z.string(), version: z.number(), title: z.string(), abstract: z.string(), categories: z.array(z.string()), comment: z.string().nullable() }),
  answers: z.array(z.object({ expect: z.enum(['accept', 'reject']), why: z.string(), answer: z.string(), language: z.string().optional() })),
});

export interface LlmAnswerFigures {
  good: number;
  goodPassed: number;
  bad: number;
  badCaught: number;
  /** Answers judged otherwise than recorded, with the verdict. */
  misjudged: Array<{ why: string; expected: 'accept' | 'reject'; verdict: string }>;
}

export function evaluateLlmAnswers(file = DEFAULT_LLM_ANSWERS): LlmAnswerFigures {
  const set = answerSetSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const figures: LlmAnswerFigures = { good: 0, goodPassed: 0, bad: 0, badCaught: 0, misjudged: [] };
  for (const recorded of set.answers) {
    const verdict = judgeAnswer(recorded.answer, set.paper, { language: recorded.language ?? 'en' });
    const accepted = verdict.outcome === 'success';
    if (recorded.expect === 'accept') {
      figures.good++;
      if (accepted) figures.goodPassed++;
    } else {
      figures.bad++;
      if (!accepted) figures.badCaught++;
    }
    if (accepted !== (recorded.expect === 'accept')) {
      figures.misjudged.push({ why: recorded.why, expected: recorded.expect, verdict: accepted ? 'accepted' : `${verdict.outcome}: ${'problems' in verdict ? verdict.problems.join('; ') : ''}` });
    }
  }
  return figures;
}

export function formatLlmAnswerFigures(f: LlmAnswerFigures): string {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(0)} %`);
  return [
    `LLM answers (recorded set): bad caught ${f.badCaught}/${f.bad} (${pct(f.badCaught, f.bad)}), good passed ${f.goodPassed}/${f.good} (${pct(f.goodPassed, f.good)})`,
    ...f.misjudged.map((m) => `  misjudged (expected ${m.expected}): ${m.why} -> ${m.verdict}`),
  ].join('\n');
}
