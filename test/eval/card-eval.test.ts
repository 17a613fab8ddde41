import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { evaluateCards, formatCardReport, lengthFigures, tagFigures } from '../../src/eval/card-eval.ts';
import { detokenise, readAclSum, readTaggedPapers } from '../../src/eval/datasets.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

test('tag figures are micro-averaged over (paper, tag) pairs', () => {
  const figures = tagFigures([
    { gold: ['NLP', 'Large Language Models'], ours: ['NLP'] },
    { gold: ['Theory'], ours: ['Theory', 'Optimization'] },
  ]);
  assert.equal(figures.precision, 2 / 3);
  assert.equal(figures.recall, 2 / 3);
  assert.equal(figures.meanTags, 1.5);
  assert.equal(figures.meanGoldTags, 1.5);
  assert.equal(figures.outOfRange, 0);
  assert.equal(tagFigures([{ gold: ['NLP'], ours: [] }]).refused, 1);
  assert.equal(tagFigures([{ gold: ['NLP'], ours: ['NLP', 'Theory', 'Optimization', 'Time Series', 'Robotics'] }]).outOfRange, 1);
});

test('length figures: median, 90th percentile, maximum and the count over 24 words', () => {
  const figures = lengthFigures(['one two three', 'a b c d e', Array(30).fill('w').join(' '), 'x y']);
  assert.deepEqual(figures, { highlights: 4, median: 4, p90: 30, max: 30, over24: 1 });
});

test('ACLSum tokenised text is joined back into running text', () => {
  assert.equal(detokenise('Named Entity Recognition ( NER ) systems , as typed .'), 'Named Entity Recognition (NER) systems, as typed.');
});

test('the card evaluation runs on the ACLSum sample and the tag development set', async () => {
  const aclsum = readAclSum(fixture('aclsum/val-sample.jsonl'));
  const tagsDev = readTaggedPapers(fixture('tags-dev/tags-dev.jsonl'));
  assert.equal(aclsum.length, 8);
  assert.equal(tagsDev.length, 150);
  assert.equal(tagsDev.filter((paper) => paper.split === 'test').length, 75);
  const report = await evaluateCards(createOfflineEngine(), { aclsum, tagsDev });
  assert.equal(report.sections.papers, 8);
  for (const value of [report.sections.methodologyVsApproach, report.sections.resultsVsOutcome, report.sections.highlightsVsAspects]) {
    assert.ok(value > 10 && value < 80, String(value));
  }
  assert.ok(report.lengths.highlights % 4 === 0 && report.lengths.highlights >= 4 * 150, String(report.lengths.highlights));
  assert.equal(report.lengths.over24, 0);
  assert.ok(report.lengths.max <= 24);
  assert.equal(report.tags.test.outOfRange + report.tags.tune.outOfRange, 0);
  assert.ok(report.tags.test.f1 > 0.5, `test-part F1 ${report.tags.test.f1}`);
  const table = formatCardReport(report, { aclsum: 'val-sample.jsonl', tagsDev: 'tags-dev.jsonl' });
  // Each issue-17 figure beside its figure before the work, its target and an extractive baseline.
  assert.match(table, /\| Methodology vs approach \| \*\*\d+\.\d\*\* \| 28\.7 \| ≥ 33: (?:met|\*\*not met\*\*) \| whole abstract \d+\.\d \|/);
  assert.match(table, /\| Results vs outcome \| \*\*\d+\.\d\*\* \| 32\.8 \| ≥ 36: /);
  assert.match(table, /\| 4 highlights joined vs 3 aspects joined \| \*\*\d+\.\d\*\* \| 40\.1 \| ≥ 40: /);
  assert.match(table, /\| offline engine \| \*\*\d+(?:\.\d)?\*\* \| \d+ \| \*\*\d+\*\* \| 0 \|/);
  assert.match(table, /\| before \(issue 17: whole sentences\) \| 20 \| \| 81 \| \|/);
  assert.match(table, /\| target \(test part\) \| \| ≥ 0\.80 \| \| ≥ 0\.75 \| 1-4, mean within 0\.5 of the reference site's 2\.6: met \|/);
  assert.match(table, /\| test part \(never looked at while tuning\) \| 75[ |]/);
});

test('with the tuning split given, its figures stand beside the held-out ones and stay out of the lengths', async () => {
  const aclsum = readAclSum(fixture('aclsum/val-sample.jsonl'));
  const tagsDev = readTaggedPapers(fixture('tags-dev/tags-dev.jsonl')).slice(0, 4);
  const engine = createOfflineEngine();
  const alone = await evaluateCards(engine, { aclsum: aclsum.slice(0, 4), tagsDev });
  const withTrain = await evaluateCards(engine, { aclsum: aclsum.slice(0, 4), aclsumTrain: aclsum.slice(4), tagsDev });
  assert.equal(withTrain.sectionsTrain?.papers, 4);
  assert.deepEqual(withTrain.sections, alone.sections);
  assert.deepEqual(withTrain.lengths, alone.lengths);
  const table = formatCardReport(withTrain, { aclsum: 'val.jsonl', aclsumTrain: 'train.jsonl', tagsDev: 'tags-dev.jsonl' });
  assert.match(table, /held out: every choice was made on train\.jsonl/);
  assert.match(table, /\| comparison \| offline engine, held out \| train, tuned on \(4\) \| before \(issue 17\) \| target \|/);
  assert.match(table, /\| Methodology vs approach \| \*\*\d+\.\d\*\* \| \d+\.\d \| 28\.7 \|/);
});
