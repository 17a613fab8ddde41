/** The near-synonym table and the tag definitions (src/domain/tag-vocabulary.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalTag, TAG_DEFINITIONS, TAG_SYNONYMS } from '../../src/domain/tag-vocabulary.ts';
import { isTag, TAXONOMY } from '../../src/domain/taxonomy.ts';
import { judgeAnswer, llmSummarySchema } from '../../src/summarize/llm/answer.ts';
import { systemPrompt } from '../../src/summarize/llm/prompt.ts';
import type { SummaryInput } from '../../src/summarize/engine.ts';
import { goodCard } from './kit.ts';

test('near-synonyms map to their taxonomy tag, whatever the case, spacing or hyphenation', () => {
  const expected: Array<[string, string]> = [
    ['LLMs', 'Large Language Models'],
    ['llm', 'Large Language Models'],
    ['Large  Language Model', 'Large Language Models'],
    ['Natural Language Processing', 'NLP'],
    ['nlp', 'NLP'],
    ['RL', 'Reinforcement Learning'],
    ['Explainable AI', 'Interpretability'],
    ['GNNs', 'Graph Learning'],
    ['graph_neural_networks', 'Graph Learning'],
    ['Vision-Language Models', 'Multimodal'],
    ['vision language models', 'Multimodal'],
    ['VLMs', 'Multimodal'],
    ['Diffusion Models', 'Generative Models'],
    ['Model Compression', 'Efficient ML'],
    ['time-series', 'Time Series'],
    ['Time-Series Forecasting', 'Time Series'],
    ['  Robot Learning ', 'Robotics'],
    ['optimisation', 'Optimization'],
  ];
  for (const [written, tag] of expected) assert.equal(canonicalTag(written), tag, `"${written}"`);
  // Every tag is its own canonical form, in any case.
  for (const tag of TAXONOMY) {
    assert.equal(canonicalTag(tag), tag);
    assert.equal(canonicalTag(tag.toUpperCase()), tag);
  }
});

test('words outside the taxonomy and the synonym table are refused, not guessed', () => {
  for (const unknown of ['Quantum Computing', 'Machine Learning', 'AI', 'Deep Learning', 'Language', 'Graph', 'LLM-based agents', 'Multimodal Learning Systems', '', '   ']) {
    assert.equal(canonicalTag(unknown), undefined, `"${unknown}" is not a tag`);
  }
  // In an answer: a synonym keeps its tag (deduplicated), an unknown word is a schema violation naming it.
  const abstract = 'We train a model on a corpus of 10 million sentences. It improves translation quality. It runs on one GPU. We release the code.';
  const mapped = llmSummarySchema.safeParse({ ...goodCard(abstract), tags: ['LLMs', 'Large Language Models', 'natural language processing'] });
  assert.ok(mapped.success, JSON.stringify(mapped.error?.issues));
  assert.deepEqual(mapped.data.tags, ['Large Language Models', 'NLP']);
  const input: SummaryInput = { id: '2606.00002', version: 1, title: 'A translation model', abstract, categories: ['cs.CL'], comment: null };
  const verdict = judgeAnswer(JSON.stringify({ ...goodCard(abstract), tags: ['LLMs', 'Quantum Computing'] }), input);
  assert.ok(verdict.outcome === 'schema_violation', verdict.outcome);
  assert.ok(verdict.problems.some((p) => p.includes('Quantum Computing')), 'the retry names the bad value');
});

test('every taxonomy tag has a one-line definition, and the prompt carries it', () => {
  assert.deepEqual(Object.keys(TAG_DEFINITIONS).sort(), [...TAXONOMY].sort(), 'definitions for exactly the taxonomy');
  const prompt = systemPrompt();
  for (const tag of TAXONOMY) {
    const definition = TAG_DEFINITIONS[tag];
    assert.ok(definition.trim().length >= 20, `${tag} has a real definition`);
    assert.ok(!definition.includes('\n'), `${tag}: one line`);
    assert.ok(prompt.includes(`- ${tag}: ${definition}`), `the prompt defines ${tag}`);
  }
  // The table only points at taxonomy tags, and no synonym is itself a tag under another name.
  for (const [synonym, tag] of Object.entries(TAG_SYNONYMS)) {
    assert.ok(isTag(tag), `${synonym} → ${tag}`);
    assert.equal(TAXONOMY.find((t) => t.toLowerCase() === synonym), undefined, `${synonym} is a synonym, not a tag`);
  }
});
