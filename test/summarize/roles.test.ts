import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyseSentenceRoles,
  classifySentenceRoles,
  classifySentenceRolesByCues,
  isAvailabilitySentence,
  isImplicationSentence,
} from '../../src/summarize/offline/roles.ts';

const ABSTRACT = [
  'Recent vision-language models remain expensive to deploy on edge devices.',
  'We propose TinyVL, a compact model for on-device visual question answering.',
  'We train a small encoder with distillation from a large teacher and design a token-pruning module.',
  'Experiments show that TinyVL outperforms prior compact models by 4.2% while using 3x less memory.',
  'These results suggest that small models could enable private assistants on phones.',
  'Code is available at https://github.com/example/tinyvl.',
];

test('classifies the classic abstract structure with the trained model', () => {
  // CSAbstruct files a closing "these results suggest" sentence under result; the engine finds it
  // again as an implication with isImplicationSentence. Release statements are always 'other'.
  assert.deepEqual(classifySentenceRoles(ABSTRACT), [
    'background',
    'objective',
    'method',
    'result',
    'result',
    'other',
  ]);
});

test('gives each sentence role probabilities and cue scores', () => {
  const analysis = analyseSentenceRoles(ABSTRACT);
  assert.equal(analysis.length, ABSTRACT.length);
  assert.deepEqual(
    analysis.map((sentence) => sentence.role),
    classifySentenceRoles(ABSTRACT),
  );
  for (const { probabilities, scores } of analysis) {
    const sum = Object.values(probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9);
    assert.equal(typeof scores.implication, 'number');
  }
  // Viterbi picks the best sequence; each chosen role is still a likely one for its sentence.
  for (const { role, probabilities } of analysis) assert.ok(probabilities[role] > 0.3, `${role}: ${probabilities[role]}`);
});

test('keeps the previous cue-word classifier for comparison', () => {
  assert.deepEqual(classifySentenceRolesByCues(ABSTRACT), [
    'background',
    'objective',
    'method',
    'result',
    'other',
    'other',
  ]);
});

test('returns one role per sentence and nothing for no sentences', () => {
  assert.deepEqual(classifySentenceRoles([]), []);
  assert.equal(classifySentenceRoles(ABSTRACT.slice(0, 3)).length, 3);
});

test('recognises implication sentences, and closing sentences need fewer cues', () => {
  assert.equal(isImplicationSentence(ABSTRACT[4] ?? ''), true);
  assert.equal(isImplicationSentence(ABSTRACT[2] ?? ''), false);
  const closing = 'This opens new avenues for efficient robotics.';
  assert.equal(isImplicationSentence(closing, { index: 5, total: 6 }), true);
  assert.equal(isImplicationSentence(closing, { index: 0, total: 6 }), false);
});

test('treats release statements as availability, never as implications', () => {
  assert.equal(isAvailabilitySentence(ABSTRACT[5] ?? ''), true);
  assert.equal(isAvailabilitySentence('Our code and models will be publicly released.'), true);
  assert.equal(isAvailabilitySentence(ABSTRACT[3] ?? ''), false);
  assert.equal(isImplicationSentence('Our code could enable future work and is available at https://x.org.'), false);
});
