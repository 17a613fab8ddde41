/**
 * Issue 22 through the wire: the schema a compatible server refuses, a cut-off answer retried with a
 * larger budget and, if cut off again, a fallback left due for the next pass; a unit swap refused
 * with a corrective retry that names the value; card rules enforced with the measured value named.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLlmTest, goodCard, inputOf, sentBudget, sentSchema, wrapped } from './kit.ts';

test('a compatible server without schema support: refused once, then prompt-and-validate for the rest of the run', async () => {
  const t = await createLlmTest('openai-compatible', { server: { schemaSupport: false } });
  try {
    assert.deepEqual(await t.run(), { summarized: 3, fallback: 0, skipped: 0, failed: 0 });
    assert.ok(sentSchema(t.server.requests[0]!), 'the first request offers the schema');
    const answered = t.server.answered;
    assert.equal(answered.length, 3);
    for (const request of answered) assert.equal(sentSchema(request), null, 'answered requests carried no schema');
    const refused = t.server.requests.filter((r) => sentSchema(r) !== null).length;
    assert.ok(refused >= 1 && refused <= 2, 'only the requests already in flight (LLM_CONCURRENCY=2) offered the schema');
    assert.equal(t.server.requests.length, 3 + refused, 'then one per paper');
  } finally {
    await t.close();
  }
});

test('a cut-off answer is asked again with twice the budget; cut off again, the fallback stays due and the next pass pays again', async () => {
  let cutOff = true;
  const t = await createLlmTest('openai', {
    papers: 1,
    handler: async (request) => (cutOff ? { answer: '', cutOff: true, usage: { input: 900, output: 6000 } } : { answer: wrapped(goodCard(inputOf(request).abstract)) }),
  });
  try {
    assert.deepEqual(await t.run(), { summarized: 0, fallback: 1, skipped: 0, failed: 0 });
    assert.deepEqual(t.server.requests.map(sentBudget), [6000, 12000], 'retried once with twice the budget');
    assert.deepEqual((await t.ledger()).map((r) => r.outcome), ['truncated', 'truncated']);
    // A cut-off answer is no verdict on the paper: the next pass asks again.
    cutOff = false;
    assert.deepEqual(await t.run(t.makeEngine()), { summarized: 1, fallback: 0, skipped: 0, failed: 0 });
    assert.equal(t.server.requests.length, 3);
  } finally {
    await t.close();
  }
});

test('a percentage written as a multiplier is refused; the retry names the value; a second swap falls back (settled)', async () => {
  const t = await createLlmTest('anthropic', {
    papers: 1,
    handler: async (request) => {
      const card = goodCard(inputOf(request).abstract) as { highlights: string[] };
      card.highlights[0] = 'It cuts the cost 94× overall.';
      return { answer: wrapped(card) };
    },
  });
  try {
    const abstract = t.papers[0]!.record.abstract;
    assert.ok(!/94×/.test(abstract));
    assert.deepEqual(await t.run(), { summarized: 0, fallback: 1, skipped: 0, failed: 0 });
    assert.equal(t.server.requests.length, 2);
    const retry = t.server.requests[1]!.messages.at(-1)!.content;
    assert.match(retry, /the number "94×" does not occur/);
    assert.deepEqual((await t.ledger()).map((r) => r.outcome), ['unfaithful', 'unfaithful']);
    assert.deepEqual(await t.run(t.makeEngine()), { summarized: 0, fallback: 0, skipped: 0, failed: 0 }, 'an answered fallback is settled: no new call');
    assert.equal(t.server.requests.length, 2);
  } finally {
    await t.close();
  }
});

test('card rules: a long highlight and TL;DR and a one-word summary get one corrective retry naming each value', async () => {
  const t = await createLlmTest('ollama', {
    papers: 1,
    handler: async (request) => {
      const card = goodCard(inputOf(request).abstract) as any;
      if (request.messages.length === 1) {
        card.highlights[1] = Array.from({ length: 55 }, () => 'word').join(' ') + '.';
        card.sections.summary = 'Short.';
      }
      return { answer: wrapped(card) };
    },
  });
  try {
    assert.deepEqual(await t.run(), { summarized: 1, fallback: 0, skipped: 0, failed: 0 });
    const retry = t.server.requests[1]!.messages.at(-1)!.content;
    assert.match(retry, /highlights\.1: 55 words; at most 24/);
    assert.match(retry, /sections\.summary: 1 words; \d+ to 200/);
    assert.deepEqual((await t.ledger()).map((r) => r.outcome), ['schema_violation', 'success']);
  } finally {
    await t.close();
  }
});
