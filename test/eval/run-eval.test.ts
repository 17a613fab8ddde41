import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { classificationReport, setAgreement } from '../../src/eval/metrics.ts';
import { evalOptionsFor, formatReport, numbersGrounded, readQualityFigures, runEval, writeQualityDoc } from '../../src/eval/run-eval.ts';

const RECORDED = path.resolve(import.meta.dirname, '../fixtures/recorded');

test('metrics: per-class and macro F1, set agreement', () => {
  const report = classificationReport(['a', 'b'] as const, ['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']);
  assert.equal(report.perClass.a.precision, 1);
  assert.equal(report.perClass.a.recall, 0.5);
  assert.equal(report.perClass.b.precision, 2 / 3);
  assert.equal(report.perClass.b.recall, 1);
  assert.ok(Math.abs(report.macroF1 - (2 / 3 + 0.8) / 2) < 1e-12);
  assert.equal(report.accuracy, 0.75);
  assert.deepEqual(setAgreement(['NLP', 'Theory'], ['NLP', 'Efficient ML', 'Large Language Models']), {
    jaccard: 1 / 4,
    precision: 1 / 2,
    recall: 1 / 3,
  });
});

test('faithfulness check: every number of a highlight must occur in the source', () => {
  const source = 'Accuracy rises from 71.2% to 84.5% on 3 benchmarks.';
  assert.equal(numbersGrounded('Accuracy rises to 84.5% on 3 benchmarks.', source), true);
  assert.equal(numbersGrounded('Accuracy rises to 85% on 3 benchmarks.', source), false);
  assert.equal(numbersGrounded('No numbers here.', source), true);
});

test('smoke: the evaluation runs end to end on 20 papers of each set', async () => {
  const report = await runEval({ ...evalOptionsFor(RECORDED), limit: 20 });
  assert.equal(report.tldr.papers, 20);
  assert.equal(report.roles.abstracts, 20);
  assert.ok(report.tldr.engine.rouge1 > 20 && report.tldr.engine.rouge1 <= 100);
  assert.ok(report.tldr.oracle.rouge1 >= report.tldr.engine.rouge1 - 1e-9);
  assert.ok(report.roles.model.macroF1 > 0.3);
  assert.equal(report.faithfulness.share, 1);
  assert.ok(report.faithfulness.papers >= 20);
  assert.equal(report.tags.length, 3);
  for (const tag of report.tags) {
    assert.ok(tag.ours.length >= 1 && tag.ours.length <= 4);
    assert.ok(tag.agreement.jaccard >= 0 && tag.agreement.jaccard <= 1);
  }
  const table = formatReport(report);
  assert.match(table, /\| offline engine \| \d+\.\d \| \d+\.\d \| \d+\.\d \|/);
  assert.match(table, /naive Bayes/);
  assert.match(table, /\| tags vs all 3 reference cards \| mean Jaccard \d\.\d\d; \d+ shared tags/);

  const doc = path.join(mkdtempSync(path.join(tmpdir(), 'papersift-eval-')), 'quality.md');
  writeFileSync(doc, '# Quality\n\nProse stays.\n\n<!-- eval:begin -->\nold\n<!-- eval:end -->\n\nTail stays.\n');
  writeQualityDoc(doc, report, 'npm run eval -- --write', '2026-06-30');
  const written = readFileSync(doc, 'utf8');
  assert.match(written, /^# Quality\n\nProse stays\./);
  assert.match(written, /Measured 2026-06-30 with `npm run eval -- --write`/);
  assert.doesNotMatch(written, /\nold\n/);
  assert.match(written, /Tail stays\.\n$/);
  const quoted = readQualityFigures(doc);
  assert.ok(quoted !== null && quoted.startsWith('Measured 2026-06-30') && quoted.includes('| offline engine |'));
  assert.ok(!quoted.includes('eval:begin') && !quoted.includes('Prose stays'), 'only the figures block');
});

test('npm run eval: --help says where the data comes from; a missing data path is one line naming it, exit 2', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../src/eval/run-eval.ts'), ...args], { encoding: 'utf8' });
  const help = run('--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--data DIR/);
  assert.match(help.stdout, /github\.com\/allenai\/scitldr/);
  assert.match(help.stdout, /github\.com\/allenai\/sequential_sentence_classification/);

  const missing = path.join(tmpdir(), 'papersift-no-such-data');
  for (const [args, named] of [
    [['--data', missing], missing],
    [['--data', RECORDED, '--scitldr', path.join(missing, 'dev.jsonl')], path.join(missing, 'dev.jsonl')],
    [[], '--data is required'],
  ] as const) {
    const result = run(...args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line, no stack: ${result.stderr}`);
    assert.ok(result.stderr.includes(named), result.stderr);
  }
});
