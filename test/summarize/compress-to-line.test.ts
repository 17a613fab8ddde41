import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compressToLine, splitSentences } from '../../src/summarize/sentences.ts';
import { salienceScorer } from '../../src/summarize/offline/line-salience.ts';

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const fixturePath = fileURLToPath(new URL('../fixtures/abstracts.json', import.meta.url));
const abstracts = (JSON.parse(readFileSync(fixturePath, 'utf8')) as { abstracts: Array<{ title: string; abstract: string }> }).abstracts;

/** A line is a contiguous piece of the sentence, first letter possibly capitalised, plus a final period. */
function assertPieceOf(line: string, sentence: string): void {
  const body = line.replace(/[.!?…]$/, '');
  const source = sentence.replace(/\s+/g, ' ');
  const found = source.includes(body) || source.includes(body.charAt(0).toLowerCase() + body.slice(1));
  assert.ok(found, `not a piece of the sentence: ${line}`);
}

test('a short sentence stays whole; a framing lead-in is dropped', () => {
  assert.equal(compressToLine('We propose a sparse scheduler for serving.', 12, 24), 'We propose a sparse scheduler for serving.');
  assert.equal(
    compressToLine('To address this, we introduce Expert Tying across layers.', 12, 24),
    'We introduce Expert Tying across layers.',
  );
  assert.equal(
    compressToLine('Extensive experiments on three benchmarks show that our method reduces latency by 41%.', 12, 24),
    'Our method reduces latency by 41%.',
  );
});

test('a long sentence is cut at a clause boundary into a complete clause', () => {
  const sentence =
    'We introduce Expert Tying, an architectural modification that shares expert parameters across consecutive ' +
    'transformer layers while preserving independent, layer-wise routing and attention.';
  const line = compressToLine(sentence, 16, 24);
  assert.equal(line, 'We introduce Expert Tying, an architectural modification that shares expert parameters across consecutive transformer layers.');
});

test('no sentence without a clause boundary yields a line over the maximum', () => {
  const run = Array.from({ length: 40 }, (_, i) => `token${i}`).join(' ');
  const line = compressToLine(`We ${run} end.`, 12, 24);
  assert.ok(words(line) <= 24, line);
  assert.ok(line.endsWith('.'));
});

test('every fixture sentence gives a piece of itself within 24 words, with or without a scorer', () => {
  for (const { title, abstract } of abstracts) {
    const scorer = salienceScorer(title, abstract);
    for (const sentence of splitSentences(abstract)) {
      for (const line of [compressToLine(sentence, 12, 24), compressToLine(sentence, 20, 24, scorer)]) {
        assert.ok(words(line) <= 24, `over 24 words: ${line}`);
        assert.match(line, /[.!?…]['")\]”’]*$/);
        assertPieceOf(line, sentence);
      }
    }
  }
});

test('the salience scorer prefers the piece that carries the paper words', () => {
  const scorer = salienceScorer('Sparse attention kernels', 'Sparse attention is fast. Sparse attention kernels skip zero blocks.');
  assert.ok(scorer('Sparse attention kernels skip blocks.') > scorer('It is what we do here.'));
});
