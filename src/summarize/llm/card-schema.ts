/**
 * The JSON schema a model is given for its answer: the card (tags from the taxonomy as an enum,
 * exactly 4 highlights) and the AI Score rubric, with the card's length rules in the descriptions.
 * It is a help to the model, not a trust boundary: every answer is still parsed and judged by
 * answer.ts (schema, card rules, faithfulness), whether the provider enforced this schema or not.
 * Kept to the JSON-schema subset every provider's strict mode accepts (no tuples, no string lengths).
 */
import { z } from 'zod';
import { RUBRIC_CRITERIA, RUBRIC_QUESTIONS, type RubricCriterion } from '../../domain/rubric.ts';
import { TAXONOMY } from '../../domain/taxonomy.ts';
import { CARD_LIMITS as L } from '../card-rules.ts';

const sentences = `${L.sectionMinSentences} to ${L.sectionMaxSentences} sentences`;

const criterion = (c: RubricCriterion) =>
  z.object({ score: z.number().int().min(1).max(5), why: z.string().describe('one line justifying the score') }).describe(RUBRIC_QUESTIONS[c]);

export const CARD_SCHEMA_NAME = 'paper_card';

export const cardAnswerSchema = z.object({
  tldr: z.string().describe(`one sentence of at most ${L.tldrMaxWords} words: what the paper does and its main finding`),
  tags: z.array(z.enum(TAXONOMY)).min(L.minTags).max(L.maxTags).describe(`${L.minTags} to ${L.maxTags} taxonomy tags (usually 2 or 3), most specific first`),
  highlights: z
    .array(z.string().describe(`one sentence of at most ${L.highlightMaxWords} words`))
    .min(4)
    .max(4)
    .describe('exactly 4 one-line highlights: the contribution, the method, the main result, the implication'),
  sections: z.object({
    summary: z.string().describe(`one paragraph of ${L.summaryMinWords} to ${L.summaryMaxWords} words`),
    methodology: z.string().describe(`${sentences} on how the work is done`),
    results: z.string().describe(`${sentences} on what was found`),
    implications: z.string().describe(`${sentences} on what it means`),
  }),
  rubric: z.object(Object.fromEntries(RUBRIC_CRITERIA.map((c) => [c, criterion(c)])) as Record<RubricCriterion, ReturnType<typeof criterion>>),
});
