/**
 * The AI Score rubric rides in the summary call: one request per paper, the rubric stored beside the
 * summary, and the scoring stage turning it into the AI Score. A bad rubric never costs a second call.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScoreDetails, SCORING_METHOD } from '../../src/domain/scoring.ts';
import { scorePendingPapers } from '../../src/score/score-papers.ts';
import { judgeRubric } from '../../src/summarize/llm/answer.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import { PROMPT_VERSION, SYSTEM_PROMPT } from '../../src/summarize/llm/prompt.ts';
import { RUBRIC_CRITERIA, rubricSchema } from '../../src/domain/rubric.ts';
import { createLlmTest, goodAnswer, GOOD_RUBRIC } from './kit.ts';

const input = { id: '2606.00001', version: 1, title: 'A Title', abstract: 'We reach 71.3% accuracy on GLUE.', categories: ['cs.CL'], comment: null };

test('the prompt asks for the four criteria, each scored 1-5 and justified in one line', () => {
  for (const criterion of RUBRIC_CRITERIA) assert.match(SYSTEM_PROMPT, new RegExp(`"${criterion}": \\{ "score": 1 to 5, "why": "one line`));
  assert.match(SYSTEM_PROMPT, /clarity of contribution/);
  assert.match(SYSTEM_PROMPT, /strength of evidence/);
  assert.notEqual(PROMPT_VERSION, 'llm-1', 'the prompt changed, so its version did');
});

test('judgeRubric keeps a valid rubric and drops missing, malformed or unfaithful ones with reasons', () => {
  assert.deepEqual(judgeRubric(GOOD_RUBRIC, input), { rubric: rubricSchema.parse(GOOD_RUBRIC), rubricProblems: [] });
  assert.equal(judgeRubric(undefined, input).rubric, null);
  const outOfRange = judgeRubric({ ...GOOD_RUBRIC, evidence: { score: 7, why: 'Strong.' } }, input);
  assert.equal(outOfRange.rubric, null);
  assert.ok(outOfRange.rubricProblems.some((p) => p.startsWith('rubric.evidence.score')), outOfRange.rubricProblems.join('; '));
  const missing = judgeRubric({ clarity: GOOD_RUBRIC.clarity }, input);
  assert.ok(missing.rubricProblems.some((p) => p.startsWith('rubric.significance')));
  const invented = judgeRubric({ ...GOOD_RUBRIC, evidence: { score: 5, why: 'Beats GPT-4 by 12 points on MMLU.' } }, input);
  assert.equal(invented.rubric, null);
  assert.ok(invented.rubricProblems.some((p) => p.includes('"MMLU"')));
  const faithful = judgeRubric({ ...GOOD_RUBRIC, evidence: { score: '5', why: 'Reports 71.3% on GLUE.' } }, input);
  assert.equal(faithful.rubric?.evidence.score, 5, 'a numeric string score is read as a number');
});

test('openai: one call per paper stores the summary and its rubric; the scoring stage shows it beside the AI Score', async () => {
  const t = await createLlmTest('openai', { papers: 3 });
  try {
    assert.deepEqual(await t.run(), { summarized: 3, fallback: 0, skipped: 0, failed: 0 });
    assert.equal(t.server.requests.length, 3, 'no extra call for the rubric');
    assert.ok(t.server.requests.every((r) => /"rubric"/.test(r.system)));
    const summaries = await t.ctx.store.db.selectFrom('summaries').select(['paper_id', 'rubric', 'prompt_version']).execute();
    assert.equal(summaries.length, 3);
    for (const row of summaries) {
      assert.equal(row.prompt_version, PROMPT_VERSION);
      assert.deepEqual(JSON.parse(row.rubric!), GOOD_RUBRIC);
    }
    const totals = await scorePendingPapers(t.ctx.store);
    assert.equal(totals.scored, 3);
    const scores = await t.ctx.store.db.selectFrom('scores').selectAll().execute();
    for (const row of scores) {
      assert.equal(row.method_version, SCORING_METHOD);
      const details = parseScoreDetails(row.details)!;
      // The AI Score is the selection model's calibrated chance; the rubric is kept beside it, for the paper page.
      assert.equal(details.aiScore.source, 'selection-model');
      assert.equal(row.ai_score, Math.round(1000 * details.aiScore.probability) / 10);
      assert.deepEqual(details.aiScore.rubric, rubricSchema.parse(GOOD_RUBRIC));
      assert.match(details.aiScore.summaryKey!, new RegExp(`^openai/gpt-5-mini/${PROMPT_VERSION}@`));
      assert.ok(typeof row.novelty === 'number' && row.novelty >= 0 && row.novelty <= 100);
    }
    assert.equal((await scorePendingPapers(t.ctx.store)).scored, 0, 'nothing is due on a rerun');
    assert.equal(t.server.requests.length, 3, 'scoring never calls the LLM');
  } finally {
    await t.close();
  }
});

test('anthropic: an answer without a usable rubric keeps its summary (no retry) and is scored without one', async () => {
  const t = await createLlmTest('anthropic', {
    papers: 2,
    handler: async (request) => {
      const good = JSON.parse(await goodAnswer(request)) as Record<string, unknown>;
      const rubric = request.n === 1 ? undefined : { ...GOOD_RUBRIC, clarity: { score: 0, why: '' } };
      return { answer: JSON.stringify({ ...good, rubric }) };
    },
  });
  try {
    assert.deepEqual(await t.run(), { summarized: 2, fallback: 0, skipped: 0, failed: 0 });
    assert.equal(t.server.requests.length, 2, 'a bad rubric costs no corrective call');
    const rubrics = await t.ctx.store.db.selectFrom('summaries').select('rubric').execute();
    assert.deepEqual(rubrics.map((r) => r.rubric), [null, null]);
    await scorePendingPapers(t.ctx.store);
    const scores = await t.ctx.store.db.selectFrom('scores').select(['details', 'ai_score']).execute();
    assert.equal(scores.length, 2);
    for (const row of scores) {
      const details = parseScoreDetails(row.details)!;
      assert.equal(details.aiScore.rubric, null);
      assert.equal(row.ai_score, Math.round(1000 * details.aiScore.probability) / 10);
    }
  } finally {
    await t.close();
  }
});

test('a paper scored offline is rescored once an LLM summary with a rubric arrives (the rubric joins its details)', async () => {
  const t = await createLlmTest('ollama', { papers: 2 });
  try {
    await t.run(createOfflineEngine());
    await scorePendingPapers(t.ctx.store);
    const before = await t.ctx.store.db.selectFrom('scores').select(['paper_id', 'details']).orderBy('paper_id').execute();
    assert.ok(before.every((r) => parseScoreDetails(r.details)!.aiScore.rubric === null));
    await t.run();
    assert.equal((await scorePendingPapers(t.ctx.store)).scored, 2);
    const after = await t.ctx.store.db.selectFrom('scores').select(['paper_id', 'details', 'novelty']).orderBy('paper_id').execute();
    assert.equal(after.length, 2, 'one row per paper version and method');
    assert.ok(after.every((r) => parseScoreDetails(r.details)!.aiScore.rubric !== null));
  } finally {
    await t.close();
  }
});
