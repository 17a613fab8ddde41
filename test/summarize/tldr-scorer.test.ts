import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSciTldr } from '../../src/eval/datasets.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import {
  contentStems,
  defaultTldrScorer,
  DEFAULT_TLDR_SCORER_PATH,
  TLDR_FEATURE_NAMES,
  tldrCandidates,
  TldrScorer,
  type TldrScorerWeights,
} from '../../src/summarize/offline/tldr-scorer.ts';
import { shortenSentence, splitSentences } from '../../src/summarize/sentences.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const scitldrDev = path.resolve(repoRoot, 'test/fixtures/recorded/scitldr/dev.jsonl');

const ABSTRACT =
  'Large language models are costly to serve. ' +
  'We propose SparseServe, a scheduler that batches requests by their expected output length. ' +
  'We implement it on top of an open-source inference engine. ' +
  'Experiments on three workloads show that SparseServe cuts median latency by 38% over the best baseline. ' +
  'Code is available at https://github.com/example/sparseserve.';

test('the bundled scorer loads and matches this version\'s features', () => {
  const file = JSON.parse(readFileSync(DEFAULT_TLDR_SCORER_PATH, 'utf8')) as TldrScorerWeights;
  assert.deepEqual(file.featureNames, [...TLDR_FEATURE_NAMES]);
  assert.ok(defaultTldrScorer().maxChars >= 100 && defaultTldrScorer().maxChars <= 200);
  assert.throws(() => new TldrScorer({ ...file, featureNames: file.featureNames.slice(1) }), /retrain/);
});

test('prefers the contribution sentence over context, method detail and release statements', () => {
  const sentences = splitSentences(ABSTRACT);
  const scores = defaultTldrScorer().score(tldrCandidates(sentences), 'SparseServe: Length-Aware Batching for LLM Serving');
  const best = scores.indexOf(Math.max(...scores));
  assert.equal(sentences[best], 'We propose SparseServe, a scheduler that batches requests by their expected output length.');
});

test('title overlap uses stemmed content words', () => {
  assert.deepEqual([...contentStems('Learning Sparse Attention for the Models')].sort(), ['attent', 'spars']);
});

test('the engine TL;DR is a clean prefix of one abstract sentence, on SciTLDR papers', async () => {
  const engine = createOfflineEngine();
  for (const example of readSciTldr(scitldrDev).slice(0, 40)) {
    const abstract = example.source.join(' ');
    const summary = await engine.summarize({ id: example.paperId, version: 1, title: example.title, abstract, categories: [], comment: null });
    const sentences = splitSentences(abstract);
    const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
    // A shortening still over the 30-word card limit is cut to a line of at most 30 words of itself.
    const fromSentence = sentences.some((sentence) => {
      const shortened = shortenSentence(sentence, defaultTldrScorer().maxChars);
      if (shortened === summary.tldr) return true;
      return words(shortened) > 30 && words(summary.tldr) <= 30 && shortened.includes(summary.tldr.slice(1, -1));
    });
    assert.ok(fromSentence, `${example.paperId}: ${summary.tldr}`);
    assert.ok(summary.tldr.length <= defaultTldrScorer().maxChars * 1.5 || sentences.includes(summary.tldr));
  }
});

test('is deterministic: the same input twice gives the identical summary', async () => {
  const input = { id: '2606.99999', version: 1, title: 'SparseServe', abstract: ABSTRACT, categories: ['cs.LG'], comment: null };
  const first = await createOfflineEngine().summarize(input);
  const second = await createOfflineEngine().summarize({ ...input });
  assert.deepEqual(second, first);
  assert.equal(JSON.stringify(second), JSON.stringify(first));
});
