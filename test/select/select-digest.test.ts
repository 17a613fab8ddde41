import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectDigest, type SelectionCandidate } from '../../src/select/select-digest.ts';
import type { Tag } from '../../src/summarize/taxonomy.ts';

function candidate(id: string, tags: Tag[], extra: Partial<SelectionCandidate> = {}): SelectionCandidate {
  return { id, primaryCategory: 'cs.LG', categories: ['cs.LG'], tags, abstract: 'We study things.', comment: null, hasCode: false, ...extra };
}

const options = { size: 10, followedCategories: ['cs.LG', 'cs.CL'], maxTagShare: 0.4 };

test('selects at most the digest size, each paper once, only from followed categories', () => {
  const pool = [
    ...Array.from({ length: 30 }, (_, i) => candidate(`2606.${String(10000 + i)}`, [i % 2 ? 'NLP' : 'Theory'])),
    candidate('2606.99999', ['Robotics'], { primaryCategory: 'cs.RO', categories: ['cs.RO'] }),
  ];
  const picked = selectDigest(pool, options);
  assert.equal(picked.length, 10);
  assert.equal(new Set(picked.map((p) => p.id)).size, 10);
  assert.ok(!picked.some((p) => p.id === '2606.99999'), 'a paper outside the followed categories is never selected');
});

test('no leading tag takes more than its share while other topics are available', () => {
  const pool = [
    ...Array.from({ length: 20 }, (_, i) => candidate(`2606.${10000 + i}`, ['Large Language Models'], { hasCode: true })),
    ...Array.from({ length: 10 }, (_, i) => candidate(`2606.${20000 + i}`, ['Computer Vision'])),
    ...Array.from({ length: 10 }, (_, i) => candidate(`2606.${30000 + i}`, ['Theory'])),
  ];
  const picked = selectDigest(pool, options);
  const llm = picked.filter((p) => p.id.startsWith('2606.1')).length;
  assert.equal(picked.length, 10);
  assert.equal(llm, 4, 'the LLM papers rank first but are capped at 40 %');
});

test('signals rank papers and the reason names them; the result is deterministic', () => {
  const pool = [
    candidate('2606.00001', ['Theory']),
    candidate('2606.00002', ['NLP'], { hasCode: true, abstract: 'Our method improves accuracy by 12.5% over baselines.' }),
    candidate('2606.00003', ['Optimization'], { comment: 'Accepted at NeurIPS 2026' }),
  ];
  const picked = selectDigest(pool, { ...options, size: 3 });
  assert.equal(picked[0]!.id, '2606.00002');
  assert.match(picked[0]!.why, /code released/);
  assert.match(picked[0]!.why, /quantitative results/);
  assert.equal(picked[1]!.id, '2606.00003');
  assert.match(picked[1]!.why, /accepted at a venue/);
  assert.deepEqual(selectDigest([...pool].reverse(), { ...options, size: 3 }), picked);
});
