import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TAXONOMY } from '../../src/domain/taxonomy.ts';
import { keywordScores, tagPaper } from '../../src/summarize/offline/tagger.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const listingPath = path.resolve(repoRoot, 'test/fixtures/recorded/listings/2026-06-18.jsonl');

interface ListingRecord {
  id: string;
  title: string;
  summary: string;
  categories: string[];
}

const NEUTRAL_ABSTRACT = 'We study a problem and report what we observe on several settings of interest.';

test('a category prior alone yields its tag', () => {
  assert.deepEqual(tagPaper({ title: 'A study', abstract: NEUTRAL_ABSTRACT, categories: ['cs.CV'] }), [
    'Computer Vision',
  ]);
  assert.deepEqual(tagPaper({ title: 'A study', abstract: NEUTRAL_ABSTRACT, categories: ['cs.CL'] }), ['NLP']);
  assert.deepEqual(tagPaper({ title: 'A study', abstract: NEUTRAL_ABSTRACT, categories: ['cs.RO'] }), [
    'Robotics',
  ]);
  assert.deepEqual(tagPaper({ title: 'A study', abstract: NEUTRAL_ABSTRACT, categories: ['math.OC'] }), [
    'Optimization',
  ]);
});

test('cs.LG and stat.ML say nothing on their own: no cues falls back to the documented default', () => {
  assert.deepEqual(
    tagPaper({ title: 'A study', abstract: NEUTRAL_ABSTRACT, categories: ['cs.LG', 'stat.ML'] }),
    ['Optimization'],
  );
});

test('large language model papers are tagged Large Language Models first', () => {
  const tags = tagPaper({
    title: 'Steering LLMs with Sparse Prompts',
    abstract:
      'Large language models (LLMs) such as GPT-4 follow instructions well. We study prompting strategies ' +
      'for in-context learning and show that chain-of-thought prompts improve accuracy.',
    categories: ['cs.CL'],
  });
  assert.equal(tags[0], 'Large Language Models');
  assert.ok(tags.includes('NLP'));
});

test('keyword rules map to their tags', () => {
  const cases: Array<[string, string, (typeof TAXONOMY)[number]]> = [
    ['Policy Gradient Methods', 'We study reinforcement learning agents that maximise reward in MDPs.', 'Reinforcement Learning'],
    ['Post-Training Quantization', 'We apply quantization and pruning to cut latency and memory footprint.', 'Efficient ML'],
    ['Sharp Bounds', 'We prove a theorem giving the convergence rate and the sample complexity of the estimator.', 'Theory'],
    ['Message Passing Revisited', 'We study graph neural networks (GNNs) for node classification.', 'Graph Learning'],
    ['Faster Sampling', 'We accelerate diffusion models for text-to-image generation.', 'Generative Models'],
    ['Grounding VLMs', 'We evaluate vision-language models on multimodal image-text retrieval.', 'Multimodal'],
    ['Circuits in Transformers', 'We use mechanistic interpretability and probing to explain predictions.', 'Interpretability'],
    ['Forecasting Demand', 'We propose a model for multivariate time series forecasting.', 'Time Series'],
    ['Private Training', 'We study federated learning with heterogeneous clients.', 'Federated Learning'],
    ['Adaptive Optimizers', 'We analyse SGD and Adam for non-convex optimization.', 'Optimization'],
    ['Learning to Walk', 'We train a quadruped robot for locomotion and manipulation.', 'Robotics'],
    ['Better Masks', 'We improve semantic segmentation and object detection on images.', 'Computer Vision'],
    ['Reading Better', 'We improve machine translation and question answering for low-resource languages.', 'NLP'],
  ];
  for (const [title, abstract, expected] of cases) {
    const tags = tagPaper({ title, abstract, categories: ['cs.LG'] });
    assert.equal(tags[0], expected, `${title}: got ${tags.join(', ')}`);
  }
});

test('"agentic" does not count as reinforcement learning', () => {
  const tags = tagPaper({
    title: 'Agentic Workflows for Data Science',
    abstract: 'We build agentic workflows with large language models that call tools to analyse tables.',
    categories: ['cs.AI'],
  });
  assert.ok(!tags.includes('Reinforcement Learning'), tags.join(', '));
});

test('acronyms are matched case-sensitively', () => {
  const scores = keywordScores('A note', 'The field began to fl ourish; adam and clip are ordinary words here.');
  assert.equal(scores.get('Generative Models'), 0);
  assert.equal(scores.get('Federated Learning'), 0);
  assert.equal(scores.get('Optimization'), 0);
  assert.equal(scores.get('Multimodal'), 0);
  assert.ok((keywordScores('A note', 'We train GANs.').get('Generative Models') ?? 0) > 0);
});

test('a keyword in the title counts more than in the abstract', () => {
  const inTitle = keywordScores('Federated Fine-Tuning', 'We study a method.').get('Federated Learning') ?? 0;
  const inAbstract = keywordScores('Fine-Tuning', 'We study a federated method.').get('Federated Learning') ?? 0;
  assert.ok(inTitle > inAbstract && inAbstract > 0, `${inTitle} vs ${inAbstract}`);
});

test('every paper of a real listing gets 1-4 distinct taxonomy tags', () => {
  const records = readFileSync(listingPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ListingRecord);
  assert.ok(records.length > 100);
  for (const record of records) {
    const tags = tagPaper({ title: record.title, abstract: record.summary, categories: record.categories });
    assert.ok(tags.length >= 1 && tags.length <= 4, `${record.id}: ${tags.length} tags`);
    assert.equal(new Set(tags).size, tags.length, `${record.id}: duplicate tags`);
    for (const tag of tags) assert.ok((TAXONOMY as readonly string[]).includes(tag), `${record.id}: ${tag}`);
    assert.deepEqual(
      tagPaper({ title: record.title, abstract: record.summary, categories: record.categories }),
      tags,
      `${record.id}: deterministic`,
    );
  }
});
