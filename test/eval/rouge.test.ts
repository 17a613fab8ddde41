import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  lcsLength,
  rougeL,
  rougeN,
  scoreAgainstReferences,
  scoreRouge,
  tokenize,
} from '../../src/eval/rouge.ts';
import { porterStem } from '../../src/summarize/offline/porter-stemmer.ts';

const close = (actual: number, expected: number, digits = 5): void =>
  assert.ok(Math.abs(actual - expected) < 0.5 * 10 ** -digits, `${actual} ≉ ${expected}`);

test('Porter stemmer: examples of Porter (1980) and NLTK extensions', () => {
  const expected: Record<string, string> = {
    caresses: 'caress',
    ponies: 'poni',
    ties: 'tie', // NLTK: four-letter "-ies" words keep "ie"
    relational: 'relat',
    conditional: 'condit',
    generalization: 'gener',
    hopping: 'hop',
    agreed: 'agre',
    feed: 'feed',
    happy: 'happi',
    enjoy: 'enjoy', // NLTK: y → i only after a consonant
    dying: 'die', // NLTK irregular form
    sky: 'sky',
    controlling: 'control',
    electrical: 'electr',
    adjustable: 'adjust',
    formality: 'formal',
    quickly: 'quickli',
  };
  for (const [word, stem] of Object.entries(expected)) assert.equal(porterStem(word), stem, word);
});

test('tokenises like rouge-score: lower-case, non-alphanumerics split, stems only words longer than 3', () => {
  assert.deepEqual(tokenize("Hello, World! It's 2024 -- models_v2."), ['hello', 'world', 'it', 's', '2024', 'model', 'v2']);
  assert.deepEqual(tokenize('The runs was running', { stem: true }), ['the', 'run', 'was', 'run']);
  assert.deepEqual(tokenize('The runs was running', { stem: false }), ['the', 'runs', 'was', 'running']);
  assert.deepEqual(tokenize('Ünïcode — only'), ['n', 'code', 'onli']);
  assert.deepEqual(tokenize('  '), []);
});

// The next four tests are the documented examples of rouge-score's own unit tests
// (google-research/google-research, rouge/rouge_scorer_test.py, Apache-2.0).
test('rouge-score example: ROUGE-1 of "testing" against "testing one two"', () => {
  const score = rougeN('testing one two', 'testing', 1);
  close(score.precision, 1);
  close(score.recall, 1 / 3);
  close(score.fmeasure, 1 / 2);
});

test('rouge-score example: ROUGE-2 of "testing one" against "testing one two"', () => {
  const score = rougeN('testing one two', 'testing one', 2);
  close(score.precision, 1);
  close(score.recall, 1 / 2);
  close(score.fmeasure, 2 / 3);
});

test('rouge-score example: ROUGE-L, consecutive and non-consecutive', () => {
  for (const prediction of ['testing one', 'testing two']) {
    const score = rougeL('testing one two', prediction);
    close(score.precision, 1);
    close(score.recall, 2 / 3);
    close(score.fmeasure, 4 / 5);
  }
});

test('rouge-score example: empty prediction scores zero everywhere', () => {
  const scores = scoreRouge('testing one two', '');
  for (const score of Object.values(scores)) assert.deepEqual(score, { precision: 0, recall: 0, fmeasure: 0 });
});

test('rouge-score example: agrees with ROUGE-1.5.5 on its test data, with and without stemming', () => {
  // rouge/testdata/target.txt and prediction.txt, lines 1-2; expected values from
  // rouge_scorer_test.py (which took them from runs of the original ROUGE-1.5.5 Perl script).
  const targets = [
    "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L",
    "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN",
  ];
  const predictions = [
    "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi",
    "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD",
  ];
  const [t0, t1] = targets as [string, string];
  const [p0, p1] = predictions as [string, string];
  const plain = { stem: false };
  const r1 = rougeN(t0, p0, 1, plain);
  close(r1.recall, 0.40741);
  close(r1.precision, 0.6875);
  close(r1.fmeasure, 0.51163);
  close(rougeN(t1, p1, 1, plain).fmeasure, 0.5);
  const stemmed = rougeN(t1, p1, 1, { stem: true });
  close(stemmed.recall, 0.42857);
  close(stemmed.precision, 0.69231);
  close(stemmed.fmeasure, 0.52941);
  const r2 = rougeN(t0, p0, 2, plain);
  close(r2.recall, 0.30769);
  close(r2.precision, 0.53333);
  close(r2.fmeasure, 0.39024);
  close(rougeN(t1, p1, 2, { stem: true }).fmeasure, 0.36364);
  close(rougeL(t0, p0, plain).fmeasure, 0.51163);
  const l1 = rougeL(t1, p1, plain);
  close(l1.recall, 0.40476);
  close(l1.precision, 0.65385);
  close(l1.fmeasure, 0.5);
});

test('hand-computed example: reordered sentence', () => {
  // Target "the cat sat on the mat", prediction "the cat on the mat sat".
  const scores = scoreRouge('The cat sat on the mat.', 'The cat on the mat sat.');
  // Unigrams: all 6 match.
  assert.deepEqual(scores.rouge1, { precision: 1, recall: 1, fmeasure: 1 });
  // Bigrams: {the cat, on the, the mat} of 5 on each side.
  close(scores.rouge2.precision, 3 / 5);
  close(scores.rouge2.recall, 3 / 5);
  close(scores.rouge2.fmeasure, 3 / 5);
  // LCS "the cat on the mat" = 5 of 6.
  close(scores.rougeL.fmeasure, 5 / 6);
});

test('hand-computed example: clipped counts and different lengths', () => {
  // Target "a a b" (3 tokens), prediction "a a a a" (4 tokens): clipped unigram overlap 2.
  const r1 = rougeN('a a b', 'a a a a', 1);
  close(r1.precision, 2 / 4);
  close(r1.recall, 2 / 3);
  close(r1.fmeasure, (2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
  // Bigrams: target {a a, a b}, prediction {a a ×3}: overlap 1.
  const r2 = rougeN('a a b', 'a a a a', 2);
  close(r2.precision, 1 / 3);
  close(r2.recall, 1 / 2);
  assert.equal(lcsLength(['a', 'b', 'c', 'd', 'e'], ['b', 'e', 'c', 'd']), 3);
  assert.equal(lcsLength(['a'], []), 0);
});

test('stemming makes inflections match', () => {
  assert.equal(rougeN('models learned quickly', 'model learns quickly', 1).fmeasure, 1);
  assert.ok(rougeN('models learned quickly', 'model learns quickly', 1, { stem: false }).fmeasure < 1);
});

test('multi-reference scoring takes the best F per measure', () => {
  const best = scoreAgainstReferences(['completely different words', 'the cat sat on the mat'], 'the cat sat');
  const direct = scoreRouge('the cat sat on the mat', 'the cat sat');
  close(best.rouge1, direct.rouge1.fmeasure);
  close(best.rouge2, direct.rouge2.fmeasure);
  close(best.rougeL, direct.rougeL.fmeasure);
  assert.deepEqual(scoreAgainstReferences([], 'anything'), { rouge1: 0, rouge2: 0, rougeL: 0 });
});
