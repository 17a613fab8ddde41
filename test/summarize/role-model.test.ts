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
const csabstruct = path.resolve(repoRoot, 'test/fixtures/recorded/csabstruct');

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

/** Tiny vector table: 3-d vectors for a handful of words. */
async function tinyVectors(): Promise<import('../../src/summarize/offline/word-vectors.ts').WordVectors> {
  const { WORD_VECTORS_FORMAT, WordVectors } = await import('../../src/summarize/offline/word-vectors.ts');
  const table: Record<string, number[]> = { we: [1, 0, 0], propose: [0, 1, 0], results: [0, 0, 1], show: [0, 2, 2] };
  const words = Object.keys(table);
  const scales = words.map((word) => Math.max(...(table[word] as number[]).map(Math.abs)) / 127);
  const bytes = Int8Array.from(words.flatMap((word, w) => (table[word] as number[]).map((v) => Math.round(v / (scales[w] as number)))));
  return new WordVectors({
    format: WORD_VECTORS_FORMAT,
    dimensions: 3,
    words,
    scales,
    vectors: Buffer.from(bytes.buffer).toString('base64'),
  });
}

test('word vectors decode from signed bytes and their scales', async () => {
  const vectors = await tinyVectors();
  assert.equal(vectors.size, 4);
  assert.deepEqual(Array.from(vectors.vector('show') ?? []), [0, 2, 2]);
  assert.equal(vectors.vector('unknown'), undefined);
});

test('dense features: mean, maximum, neighbours and difference to the abstract mean', async () => {
  const { denseAbstractFeatures, DEFAULT_FEATURE_CONFIG } = await import('../../src/summarize/offline/role-features.ts');
  const vectors = await tinyVectors();
  const config = { ...DEFAULT_FEATURE_CONFIG, dense: ['mean', 'max', 'prev', 'next', 'diff', 'open'] as const };
  const features = denseAbstractFeatures(['We propose X.', 'Results show gains!'], { ...config, dense: [...config.dense] }, vectors);
  assert.ok(features !== undefined);
  const round = (values: Float64Array | undefined): number[] => Array.from(values ?? [], (v) => Math.round(v * 1000) / 1000);
  // Sentence 0: words we, propose (x unknown): mean [0.5, 0.5, 0]; abstract mean over 4 known words [0.25, 0.75, 0.75].
  assert.deepEqual(round(features[0]), [0.5, 0.5, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1.5, 0.25, -0.25, -0.75, 0.5, 0.5, 0]);
  assert.deepEqual(round(features[1]), [0, 1, 1.5, 0, 2, 2, 0.5, 0.5, 0, 0, 0, 0, -0.25, 0.25, 0.75, 0, 1, 1.5]);
  assert.equal(denseAbstractFeatures(['We propose X.'], DEFAULT_FEATURE_CONFIG, vectors), undefined);
  // The opening block averages the first four known words only.
  const opening = denseAbstractFeatures(['Show we propose results, we show.'], { ...DEFAULT_FEATURE_CONFIG, dense: ['open'] }, vectors);
  assert.deepEqual(round(opening?.[0]), [0.25, 0.75, 0.75]);
});

test('word × place features mark the first, middle and last sentence', async () => {
  const { abstractFeatures, DEFAULT_FEATURE_CONFIG } = await import('../../src/summarize/offline/role-features.ts');
  const [first, middle, last] = abstractFeatures(['We propose X.', 'It works.', 'Results are good.'], {
    ...DEFAULT_FEATURE_CONFIG,
    wordPosition: true,
  });
  assert.ok(first?.includes('w&first=we') && !first.includes('w&middle=we'));
  assert.ok(middle?.includes('w&middle=it'));
  assert.ok(last?.includes('w&last=result'));
  assert.ok(!abstractFeatures(['We propose X.'])[0]?.some((name) => name.startsWith('w&')));
});

test('the CRF objective with dense features and a hidden layer has the gradient it reports', async () => {
  const { CrfObjective } = await import('../../src/summarize/offline/role-training.ts');
  let state = 7;
  const uniform = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 2 - 1;
  };
  const data = [3, 1, 4].map((n) => ({
    features: Array.from({ length: n }, (_, t) => Int32Array.from([t % 6, (t + 2) % 6])),
    dense: Array.from({ length: n }, () => Float64Array.from({ length: 4 }, uniform)),
    labels: Int8Array.from({ length: n }, (_, t) => (t * 2) % 5),
  }));
  const objective = new CrfObjective(data, 6, 4, 3, 0.5, 0.3);
  const theta = Float64Array.from({ length: objective.dimension }, () => uniform() * 0.5);
  const gradient = new Float64Array(objective.dimension);
  objective.evaluate(theta, gradient);
  const scratch = new Float64Array(objective.dimension);
  for (let i = 0; i < objective.dimension; i++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[i] = (plus[i] as number) + 1e-6;
    minus[i] = (minus[i] as number) - 1e-6;
    const numeric = (objective.evaluate(plus, scratch) - objective.evaluate(minus, scratch)) / 2e-6;
    assert.ok(Math.abs(numeric - (gradient[i] as number)) < 1e-6, `parameter ${i}: ${numeric} vs ${gradient[i]}`);
  }
});

test('a model with word-vector features and a hidden layer trains deterministically and scores as its weights say', async () => {
  const vectors = await tinyVectors();
  const data = readCsAbstruct(path.join(csabstruct, 'train.jsonl')).slice(0, 30);
  const options = {
    ...DEFAULT_CRF_OPTIONS,
    maxIterations: 20,
    hidden: 4,
    featureConfig: { ...DEFAULT_CRF_OPTIONS.featureConfig, dense: ['mean' as const, 'diff' as const] },
  };
  const first = trainRoleCrf(data, options, {}, vectors);
  assert.equal(JSON.stringify(first), JSON.stringify(trainRoleCrf(data, options, {}, vectors)));
  assert.equal(first.dense?.dimensions, 6);
  assert.equal(first.dense?.hidden?.units, 4);
  const model = new RoleModel(first, vectors);
  const sentences = ['We propose a method.', 'Results show gains.'];
  const prediction = model.predict(sentences);
  assert.equal(prediction.labels.length, 2);
  // A sentence with no known word gets the same dense contribution whatever its other words are;
  // one with known words does not: the vectors are read.
  const withoutDense = new RoleModel({ ...first, featureConfig: { ...first.featureConfig, dense: [] } });
  const a = model.emissionScores(sentences);
  const b = withoutDense.emissionScores(sentences);
  assert.ok(a.some((row, i) => row.some((value, k) => Math.abs(value - (b[i]?.[k] ?? 0)) > 1e-6)));
});
