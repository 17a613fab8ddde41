import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifySentenceRoles,
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

test('classifies the classic abstract structure by cue words and position', () => {
  assert.deepEqual(classifySentenceRoles(ABSTRACT), [
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
