import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { shortenSentence, splitAtClause, splitSentences } from '../../src/summarize/sentences.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const listingPath = path.resolve(repoRoot, 'test/fixtures/recorded/listings/2026-06-18.jsonl');

// --- splitSentences ---------------------------------------------------------------------------

test('splits plain sentences on . ! and ?', () => {
  assert.deepEqual(splitSentences('We train a model. Does it work? Yes!'), [
    'We train a model.',
    'Does it work?',
    'Yes!',
  ]);
});

test('returns no sentences for empty or whitespace-only text', () => {
  assert.deepEqual(splitSentences(''), []);
  assert.deepEqual(splitSentences('  \n\t '), []);
});

test('trims pieces and collapses line breaks kept in arXiv abstracts', () => {
  assert.deepEqual(splitSentences('  First sentence here.\n  Second\nsentence here.  '), [
    'First sentence here.',
    'Second sentence here.',
  ]);
});

test('does not split after "e.g."', () => {
  assert.deepEqual(splitSentences('We use LLMs, e.g. GPT-4, for ranking. It works.'), [
    'We use LLMs, e.g. GPT-4, for ranking.',
    'It works.',
  ]);
  assert.deepEqual(splitSentences('We pretrain on corpora, e.g. The Pile, for a week. It works.'), [
    'We pretrain on corpora, e.g. The Pile, for a week.',
    'It works.',
  ]);
});

test('does not split after "i.e."', () => {
  assert.deepEqual(splitSentences('It is sparse, i.e. Most weights are zero. It is fast.'), [
    'It is sparse, i.e. Most weights are zero.',
    'It is fast.',
  ]);
});

test('does not split after "et al."', () => {
  assert.deepEqual(splitSentences('As shown by Smith et al. (2020), attention helps. We agree.'), [
    'As shown by Smith et al. (2020), attention helps.',
    'We agree.',
  ]);
  assert.deepEqual(splitSentences('Following Jones et al. We extend it.').length, 1);
});

test('does not split after "vs."', () => {
  assert.deepEqual(splitSentences('We compare A vs. B on ten tasks. B wins.'), [
    'We compare A vs. B on ten tasks.',
    'B wins.',
  ]);
});

test('does not split after "Fig." or "Eq."', () => {
  assert.deepEqual(splitSentences('See Fig. 3 for results. The loss in Eq. 2 is convex. Done.'), [
    'See Fig. 3 for results.',
    'The loss in Eq. 2 is convex.',
    'Done.',
  ]);
});

test('does not split after "approx." or "resp."', () => {
  assert.deepEqual(splitSentences('It takes approx. 5 ms and 7 ms, resp. On GPUs it is faster.'), [
    'It takes approx. 5 ms and 7 ms, resp. On GPUs it is faster.',
  ]);
  assert.deepEqual(splitSentences('Latency is approx. 12 ms. Memory is 2 GB.'), [
    'Latency is approx. 12 ms.',
    'Memory is 2 GB.',
  ]);
});

test('does not split inside decimals such as 3.5% and 0.82', () => {
  assert.deepEqual(splitSentences('Accuracy rises by 3.5% to 0.82 overall. Recall drops.'), [
    'Accuracy rises by 3.5% to 0.82 overall.',
    'Recall drops.',
  ]);
});

test('does not split inside version numbers such as v1.2 and GPT-3.5, even at a sentence end', () => {
  assert.deepEqual(splitSentences('We release v1.2 of the tool. It beats GPT-3.5. Then GPT-4.1 wins.'), [
    'We release v1.2 of the tool.',
    'It beats GPT-3.5.',
    'Then GPT-4.1 wins.',
  ]);
});

test('does not split inside URLs, and splits after a URL that ends a sentence', () => {
  assert.deepEqual(
    splitSentences('Code is at https://github.com/a/b.c and more. See https://x.org/y.html. Thanks.'),
    ['Code is at https://github.com/a/b.c and more.', 'See https://x.org/y.html.', 'Thanks.'],
  );
});

test('never splits inside inline LaTeX $...$', () => {
  assert.deepEqual(splitSentences('It runs in $O(n \\log n)$ time. The bound $x. Y! Z? W$ holds. Done.'), [
    'It runs in $O(n \\log n)$ time.',
    'The bound $x. Y! Z? W$ holds.',
    'Done.',
  ]);
});

test('keeps initials such as "J. Smith" inside the sentence', () => {
  assert.deepEqual(splitSentences('J. Smith and A. B. Jones proposed it. We extend it.'), [
    'J. Smith and A. B. Jones proposed it.',
    'We extend it.',
  ]);
});

test('still splits after a single capital letter when a usual sentence opener follows', () => {
  assert.deepEqual(splitSentences('The grid has size N. We show it works.'), [
    'The grid has size N.',
    'We show it works.',
  ]);
});

test('handles ellipses: no split before lowercase, split (keeping the ellipsis) before a capital', () => {
  assert.deepEqual(splitSentences('Results are good... and stable. Wait... We continue… Really.'), [
    'Results are good... and stable.',
    'Wait...',
    'We continue…',
    'Really.',
  ]);
});

test('does not split when the next word starts in lowercase (unknown abbreviations)', () => {
  assert.deepEqual(splitSentences('We use the approx. solver of Kim. It helps.'), [
    'We use the approx. solver of Kim.',
    'It helps.',
  ]);
  assert.deepEqual(splitSentences('Methods incl. dropout help. Yes.'), ['Methods incl. dropout help.', 'Yes.']);
});

test('splits when a sentence starts with a number or a quote', () => {
  assert.deepEqual(splitSentences('We test it. 3D scenes are hard. "Why?" they ask.'), [
    'We test it.',
    '3D scenes are hard.',
    '"Why?" they ask.',
  ]);
});

// --- shortenSentence --------------------------------------------------------------------------

/** The shortening without its final period must be a prefix of the (whitespace-collapsed) sentence. */
function assertCleanShortening(original: string, shortened: string, maxChars: number): void {
  const collapsed = original.replace(/\s+/g, ' ').trim();
  // Under the limit, or no clean boundary at all: the sentence comes back unchanged.
  if (collapsed.length <= maxChars || shortened === collapsed) {
    assert.equal(shortened, collapsed);
    return;
  }
  assert.ok(shortened.length < collapsed.length, 'a shortening is shorter');
  assert.match(shortened, /[.!?…]['")\]”’]*$/, `ends like a sentence: ${shortened}`);
  const body = shortened.endsWith('.') ? shortened.slice(0, -1) : shortened;
  assert.ok(collapsed.startsWith(body), `prefix of the sentence: ${shortened}`);
  const next = collapsed[body.length];
  assert.ok(next === undefined || !/[\p{L}\p{N}]/u.test(next), `not cut inside a word/number: ${shortened}`);
  assert.equal((body.match(/(?<!\\)\$/g) ?? []).length % 2, 0, `not cut inside $...$: ${shortened}`);
}

const LONG_SENTENCE =
  'We propose a new framework for efficient training of large language models on commodity hardware, ' +
  'which reduces memory by 40% while keeping accuracy within 0.5 points of the full-precision baseline; ' +
  'we further show that it scales to 70B parameters and generalises across tasks.';

test('returns a sentence under maxChars unchanged', () => {
  const sentence = 'A short sentence, which stays as it is.';
  assert.equal(shortenSentence(sentence, 200), sentence);
  assert.equal(shortenSentence(sentence), sentence);
});

test('shortens at the last clause boundary that fits and ends with a period', () => {
  const shortened = shortenSentence(LONG_SENTENCE, 200);
  assert.equal(
    shortened,
    'We propose a new framework for efficient training of large language models on commodity hardware, ' +
      'which reduces memory by 40% while keeping accuracy within 0.5 points of the full-precision baseline.',
  );
  assertCleanShortening(LONG_SENTENCE, shortened, 200);
});

test('keeps only the first clause when that is all that fits', () => {
  const shortened = shortenSentence(LONG_SENTENCE, 110);
  assert.equal(
    shortened,
    'We propose a new framework for efficient training of large language models on commodity hardware.',
  );
});

test('never cuts inside $...$, brackets or an enumeration', () => {
  const sentence =
    'We derive a bound of $O(n; m, k)$ for the estimator (which holds, surprisingly; for all n) on ' +
    'CIFAR-10, ImageNet, and COCO under mild assumptions that are standard in the literature, ' +
    'which makes the analysis broadly applicable to many practical settings considered before.';
  const shortened = shortenSentence(sentence, 200);
  assertCleanShortening(sentence, shortened, 200);
  assert.ok(shortened.includes('$O(n; m, k)$'));
  assert.ok(shortened.includes('(which holds, surprisingly; for all n)'));
  assert.ok(shortened.includes('CIFAR-10, ImageNet, and COCO'));
});

test('does not cut after an introductory phrase that is not a clause', () => {
  const sentence =
    'Unlike traditional methods that require expensive, voxel-wise paired data or resort to developing ' +
    'unpaired algorithms, our approach utilizes image-level quality labels (here, distorted vs. ' +
    'undistorted) to establish latent quality prototypes within a pre-trained feature space.';
  assert.equal(shortenSentence(sentence, 200), sentence);
});

test('returns a long sentence without any clause boundary unchanged', () => {
  const sentence = `We study ${'very '.repeat(50)}long sentences.`;
  assert.equal(shortenSentence(sentence, 100), sentence);
});

test('every shortening of a real over-long abstract sentence is a clean prefix', () => {
  const abstracts = readFileSync(listingPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { summary: string }).summary);
  let checked = 0;
  let shortened = 0;
  for (const abstract of abstracts) {
    for (const sentence of splitSentences(abstract)) {
      if (sentence.length <= 200) continue;
      const result = shortenSentence(sentence, 200);
      assertCleanShortening(sentence, result, 200);
      checked++;
      if (result !== sentence) shortened++;
    }
  }
  assert.ok(checked > 50, `expected many long sentences, got ${checked}`);
  assert.ok(shortened > checked / 2, `expected most long sentences to be shortened, got ${shortened}/${checked}`);
});

// --- splitAtClause ----------------------------------------------------------------------------

test('splits a sentence into two clean, capitalised clauses at a stand-alone boundary', () => {
  const split = splitAtClause(LONG_SENTENCE);
  assert.ok(split !== null);
  assert.deepEqual(split.pieces, [
    'We propose a new framework for efficient training of large language models on commodity hardware, ' +
      'which reduces memory by 40% while keeping accuracy within 0.5 points of the full-precision baseline.',
    'We further show that it scales to 70B parameters and generalises across tasks.',
  ]);
  assert.equal(split.rank, 1);
});

test('drops a leading "and" when lifting out the second clause', () => {
  const split = splitAtClause('The encoder is trained on images, and the decoder is trained on text.');
  assert.deepEqual(split?.pieces, ['The encoder is trained on images.', 'The decoder is trained on text.']);
});

test('returns null when no split leaves two halves of at least three words', () => {
  assert.equal(splitAtClause('Short and sweet.'), null);
});
