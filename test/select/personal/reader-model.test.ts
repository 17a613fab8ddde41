import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainReaderModel, type LabelledVector } from '../../../src/select/personal/reader-model.ts';

const vector = (entries: Array<[number, number]>) => ({ ids: Int32Array.from(entries, (e) => e[0]), weights: Float32Array.from(entries, (e) => e[1]) });

// Features 0-1 mark the reader's subject, 2-3 another one; 9 occurs in one sampled negative only.
const examples: LabelledVector[] = [
  { vector: vector([[0, 0.8], [1, 0.6]]), label: 1, weight: 1 },
  { vector: vector([[0, 1]]), label: 1, weight: 1 },
  { vector: vector([[1, 0.7], [4, 0.7]]), label: 1, weight: 1 },
  { vector: vector([[2, 0.8], [3, 0.6]]), label: 0, weight: 1 },
  { vector: vector([[3, 1]]), label: 0, weight: 1 },
  { vector: vector([[2, 0.6], [9, 0.8]]), label: 0, weight: 1 },
];

const weightOf = (model: ReturnType<typeof trainReaderModel>, feature: number): number => {
  const at = [...model.features].indexOf(feature);
  return at < 0 ? 0 : model.weights[at]!;
};

test("the reader's SVM weighs the positives' features up and the negatives' down, and leaves the day's scratch clean", () => {
  const scratch = new Int32Array(10).fill(-1);
  const model = trainReaderModel(examples, scratch);
  assert.deepEqual([...scratch], new Array(10).fill(-1));
  for (const f of [0, 1, 4]) assert.ok(weightOf(model, f) > 0, `feature ${f}`);
  for (const f of [2, 3]) assert.ok(weightOf(model, f) < 0, `feature ${f}`);
  assert.ok(![...model.features].includes(9), "a single sampled paper's own feature is left out");
  assert.deepEqual(trainReaderModel(examples, scratch), model, 'deterministic');
});

test('a heavier example counts more', () => {
  const scratch = new Int32Array(10).fill(-1);
  // Feature 5 is in one positive and one negative; weighting the negative decides its sign.
  const tie = [...examples, { vector: vector([[5, 1]]), label: 1 as const, weight: 1 }, { vector: vector([[5, 1]]), label: 0 as const, weight: 1 }];
  const heavyNegative = tie.map((e, i) => (i === tie.length - 1 ? { ...e, weight: 5 } : e));
  const heavyPositive = tie.map((e, i) => (i === tie.length - 2 ? { ...e, weight: 5 } : e));
  assert.ok(weightOf(trainReaderModel(heavyNegative, scratch), 5) < 0);
  assert.ok(weightOf(trainReaderModel(heavyPositive, scratch), 5) > 0);
});
