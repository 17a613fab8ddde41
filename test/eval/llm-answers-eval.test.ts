/** The LLM-path check of `npm run eval`: every recorded bad answer caught, every good one passed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateLlmAnswers } from '../../src/eval/llm-answers-eval.ts';

test('recorded LLM answers: 100 % of the bad ones caught, 100 % of the good ones pass', () => {
  const figures = evaluateLlmAnswers();
  assert.ok(figures.bad >= 15 && figures.good >= 5, 'the set holds both kinds');
  assert.deepEqual(figures.misjudged, []);
  assert.equal(figures.badCaught, figures.bad);
  assert.equal(figures.goodPassed, figures.good);
});
