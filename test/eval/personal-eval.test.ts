import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  evaluatePersonal,
  formatPersonalReport,
  measure,
  PERSONAL_EVAL_DEFAULTS,
  PersonalDataError,
  readCiteULike,
  splitLibraries,
} from '../../src/eval/personal-eval.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/personal/citeulike-a-sample');

test('measure: recall@50, nDCG@50 and the pairwise loss of a known ranking', () => {
  // 100 items; the reader keeps 0-9, 10 and 11 are hidden. Scores rank 10 first and 11 last.
  const scores = Float64Array.from({ length: 100 }, (_, i) => (i === 10 ? 1000 : i === 11 ? -1 : 100 - i));
  const figures = measure([{ user: 0, library: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], hidden: [10, 11] }], 100, () => scores, 1);
  assert.equal(figures.recallAt50, 0.5);
  assert.ok(Math.abs(figures.ndcgAt50 - 1 / (1 + 1 / Math.log2(3))) < 1e-12);
  // Item 10 beats every negative, item 11 loses to every one: half the pairs are wrong.
  assert.equal(figures.pairwiseLoss, 0.5);
});

test('split: a seeded 20 % of each library (at least one paper) is hidden, the rest kept, nothing lost', () => {
  const data = readCiteULike(SAMPLE);
  assert.equal(data.libraries.length, 80);
  const readers = splitLibraries(data, 18);
  assert.equal(readers.length, 80);
  for (const reader of readers) {
    const all = data.libraries[reader.user]!;
    assert.deepEqual([...reader.library, ...reader.hidden].sort((a, b) => a - b), all.slice().sort((a, b) => a - b));
    assert.equal(reader.hidden.length, Math.max(1, Math.round(all.length * 0.2)));
  }
  assert.deepEqual(splitLibraries(data, 18), readers, 'the same seed, the same split');
});

test('a folder that is not CiteULike-a gets a clear error', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'papersift-personal-'));
  assert.throws(() => readCiteULike(dir), PersonalDataError);
  writeFileSync(path.join(dir, 'titles_TopicModelsVB.txt'), 'A\nB\n');
  writeFileSync(path.join(dir, 'users.dat'), '2 0 1\n2 0 7\n');
  assert.throws(() => readCiteULike(dir), /users\.dat line 2/);
});

test('the evaluation on a sample: every ranker measured on disjoint dev and test readers; the ranker beats popularity', () => {
  const report = evaluatePersonal(SAMPLE, { ...PERSONAL_EVAL_DEFAULTS, devReaders: 20, testReaders: 60 });
  assert.deepEqual(report.readers, { eligible: 80, dev: 20, test: 60 });
  assert.deepEqual(Object.keys(report.test), ['papersift personal ranker', 'similarity only (cold start, no model)', 'TF-IDF similarity (baseline)', 'popularity']);
  for (const figures of [...Object.values(report.test), ...Object.values(report.dev)]) {
    for (const value of Object.values(figures)) assert.ok(value >= 0 && value <= 1);
  }
  const ours = report.test['papersift personal ranker']!;
  const popularity = report.test.popularity!;
  assert.ok(ours.pairwiseLoss < popularity.pairwiseLoss);
  assert.ok(ours.pairwiseLoss < 0.3, `pairwise loss ${ours.pairwiseLoss}`);
  const table = formatPersonalReport(report);
  assert.match(table, /Test readers \(60, disjoint from the dev readers\)/);
  assert.match(table, /\| papersift personal ranker \| 0\.\d{3} \| 0\.\d{3} \| 0\.\d{3} \|/);
});
