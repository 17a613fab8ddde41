import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsAbstruct } from '../../src/eval/datasets.ts';
import { classificationReport } from '../../src/eval/metrics.ts';
import { trainNaiveBayes } from '../../src/eval/naive-bayes.ts';
import { ROLE_LABELS, type RoleLabel } from '../../src/summarize/offline/role-features.ts';
import { DEFAULT_ROLE_MODEL_PATH, defaultRoleModel, RoleModel } from '../../src/summarize/offline/role-model.ts';
import { DEFAULT_CRF_OPTIONS, trainRoleCrf } from '../../src/summarize/offline/role-training.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const csabstruct = path.resolve(repoRoot, '../shared/fixtures/csabstruct');

const ABSTRACT = [
  'Recent vision-language models remain expensive to deploy on edge devices.',
  'In this paper, we propose TinyVL, a compact model for on-device visual question answering.',
  'We train a small encoder with distillation from a large teacher and design a token-pruning module.',
  'Experiments show that TinyVL outperforms prior compact models by 4.2% while using 3x less memory.',
];

test('the bundled weights file is small and loads', () => {
  assert.ok(existsSync(DEFAULT_ROLE_MODEL_PATH));
  assert.ok(statSync(DEFAULT_ROLE_MODEL_PATH).size < 2 * 1024 * 1024, 'weights file under 2 MB');
  assert.ok(defaultRoleModel().featureCount > 1000);
});

test('labels a typical abstract and gives a probability distribution per sentence', () => {
  const prediction = defaultRoleModel().predict(ABSTRACT);
  assert.deepEqual(prediction.labels, ['background', 'objective', 'method', 'result']);
  assert.equal(prediction.probabilities.length, ABSTRACT.length);
  for (const probabilities of prediction.probabilities) {
    assert.equal(probabilities.length, ROLE_LABELS.length);
    const sum = probabilities.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `sums to ${sum}`);
  }
  assert.deepEqual(defaultRoleModel().predict([]), { labels: [], probabilities: [] });
});

test('is deterministic: same sentences, same labels and probabilities', () => {
  const model = defaultRoleModel();
  assert.deepEqual(model.predict(ABSTRACT), model.predict([...ABSTRACT]));
});

test('beats the naive-Bayes baseline on a slice of CSAbstruct dev', () => {
  const train = readCsAbstruct(path.join(csabstruct, 'train.jsonl'));
  const slice = readCsAbstruct(path.join(csabstruct, 'dev.jsonl')).slice(0, 60);
  const baseline = trainNaiveBayes(train);
  const gold: RoleLabel[] = [];
  const ours: RoleLabel[] = [];
  const theirs: RoleLabel[] = [];
  for (const abstract of slice) {
    gold.push(...abstract.labels);
    ours.push(...defaultRoleModel().labels(abstract.sentences));
    theirs.push(...baseline.classify(abstract.sentences));
  }
  const model = classificationReport(ROLE_LABELS, gold, ours);
  const naiveBayes = classificationReport(ROLE_LABELS, gold, theirs);
  assert.ok(model.macroF1 > naiveBayes.macroF1 + 0.05, `CRF ${model.macroF1.toFixed(3)} vs NB ${naiveBayes.macroF1.toFixed(3)}`);
  assert.ok(model.accuracy > naiveBayes.accuracy, `CRF ${model.accuracy.toFixed(3)} vs NB ${naiveBayes.accuracy.toFixed(3)}`);
});

test('training is deterministic and produces a loadable model', () => {
  const data = readCsAbstruct(path.join(csabstruct, 'train.jsonl')).slice(0, 40);
  const options = { ...DEFAULT_CRF_OPTIONS, maxIterations: 30 };
  const first = trainRoleCrf(data, options);
  const second = trainRoleCrf(data, options);
  assert.equal(JSON.stringify(first), JSON.stringify(second));
  const model = new RoleModel(first);
  assert.equal(model.labels(data[0]?.sentences ?? []).length, data[0]?.sentences.length);
});

test('fast feature lookup gives the same scores as summing the weights of the feature names', async () => {
  const { readFileSync } = await import('node:fs');
  const { abstractFeatures } = await import('../../src/summarize/offline/role-features.ts');
  const file = JSON.parse(readFileSync(DEFAULT_ROLE_MODEL_PATH, 'utf8')) as {
    scale: number;
    featureNames: string[];
    featureWeights: number[];
  };
  const byName = new Map(file.featureNames.map((name, i) => [name, file.featureWeights.slice(i * 5, i * 5 + 5)]));
  const model = defaultRoleModel();
  const abstracts = readCsAbstruct(path.join(csabstruct, 'dev.jsonl')).slice(0, 25);
  for (const { sentences } of [...abstracts, { sentences: ABSTRACT }, { sentences: ['', '1 2 3', 'x_y = z'] }]) {
    const fast = model.emissionScores(sentences);
    abstractFeatures(sentences, model.featureConfig).forEach((names, i) => {
      const naive = ROLE_LABELS.map((_, k) =>
        names.reduce((sum, name) => sum + (byName.get(name)?.[k] ?? 0) / file.scale, 0),
      );
      naive.forEach((value, k) => assert.ok(Math.abs(value - (fast[i]?.[k] ?? NaN)) < 1e-9, `${sentences[i]}: ${value} vs ${fast[i]?.[k]}`));
    });
  }
});
