import { z } from 'zod';
import { withoutForbiddenCharacters } from './forbidden-characters.ts';

/**
 * The AI Score rubric an LLM fills in within the summary call (no extra call per paper): four
 * criteria, each an integer 1-5 with a one-line justification. /about/scores documents it.
 */
export const RUBRIC_CRITERIA = ['clarity', 'evidence', 'significance', 'reusability'] as const;
export type RubricCriterion = (typeof RUBRIC_CRITERIA)[number];

/** What each criterion asks, used in the prompt and on /about/scores alike. */
export const RUBRIC_QUESTIONS: Record<RubricCriterion, string> = {
  clarity: 'clarity of contribution: is it plain what the paper contributes and how it differs from prior work?',
  evidence: 'strength of evidence: are the claims backed by experiments, numbers, baselines or proofs the abstract reports?',
  significance: 'significance: how much would an ML researcher or practitioner gain from knowing this result?',
  reusability: 'reusability: are code, data, models or a method others can directly reuse released or clearly described?',
};

const criterionSchema = z.object({
  score: z.coerce.number().int().min(1).max(5),
  why: z.string().transform(withoutForbiddenCharacters).pipe(z.string().trim().min(1).max(300)),
});

export const rubricSchema = z.object({
  clarity: criterionSchema,
  evidence: criterionSchema,
  significance: criterionSchema,
  reusability: criterionSchema,
});

export type Rubric = z.infer<typeof rubricSchema>;
