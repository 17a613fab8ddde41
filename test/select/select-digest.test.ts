import assert from 'node:assert/strict';
import { test } from 'node:test';
import { perTagLimit, selectDigest, type SelectionCandidate } from '../../src/select/select-digest.ts';
import { TAXONOMY, type Tag } from '../../src/domain/taxonomy.ts';

function candidate(id: string, tags: Tag[], extra: Partial<SelectionCandidate> = {}): SelectionCandidate {
  return { id, primaryCategory: 'cs.LG', categories: ['cs.LG'], tags, novelty: 50, aiScore: 50, deciding: [], ...extra };
}

const options = { size: 10, followedCategories: ['cs.LG', 'cs.CL'], maxTagShare: 0.4 };

/** How many picks carry each tag. */
function tagCounts(picked: Array<{ id: string }>, pool: SelectionCandidate[]): Map<Tag, number> {
  const byId = new Map(pool.map((c) => [c.id, c]));
  const counts = new Map<Tag, number>();
  for (const p of picked) for (const tag of byId.get(p.id)!.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return counts;
}

test('selects at most the digest size, each paper once (a cross-list too), only from followed categories', () => {
  const pool = [
    ...Array.from({ length: 30 }, (_, i) => candidate(`2606.${String(10000 + i)}`, [TAXONOMY[i % 6]!], { aiScore: i })),
    candidate('2606.99999', ['Robotics'], { primaryCategory: 'cs.RO', categories: ['cs.RO'], novelty: 100, aiScore: 100 }),
    // The same paper listed again as a cross-list with more categories: counted once.
    candidate('2606.10029', [TAXONOMY[5]!], { categories: ['cs.LG', 'cs.CL'], aiScore: 29 }),
  ];
  const picked = selectDigest(pool, options);
  assert.equal(picked.length, 10);
  assert.equal(new Set(picked.map((p) => p.id)).size, 10);
  assert.ok(!picked.some((p) => p.id === '2606.99999'), 'a paper outside the followed categories is never selected');
  assert.equal(picked[0]!.id, '2606.10029', 'the best AI Score ranks first');
});

test('no tag is carried by more than its share of the picks, even when one topic ranks first', () => {
  const pool = [
    ...Array.from({ length: 20 }, (_, i) => candidate(`2606.${10000 + i}`, ['Large Language Models', 'NLP'], { aiScore: 90 })),
    ...Array.from({ length: 10 }, (_, i) => candidate(`2606.${20000 + i}`, ['Computer Vision', 'NLP'], { aiScore: 80 })),
    ...Array.from({ length: 10 }, (_, i) => candidate(`2606.${30000 + i}`, ['Theory'])),
    ...Array.from({ length: 10 }, (_, i) => candidate(`2606.${40000 + i}`, ['Optimization'])),
  ];
  for (const [size, share] of [[10, 0.4], [20, 0.25], [7, 0.5], [30, 0.1]] as const) {
    const picked = selectDigest(pool, { ...options, size, maxTagShare: share });
    const limit = perTagLimit(size, share);
    for (const [tag, n] of tagCounts(picked, pool)) assert.ok(n <= limit, `${tag}: ${n} picks, limit ${limit} (size ${size}, share ${share})`);
    assert.ok(picked.length <= size);
  }
  const picked = selectDigest(pool, options);
  assert.equal(picked.length, 10);
  const counts = tagCounts(picked, pool);
  assert.equal(counts.get('NLP'), 4, 'NLP is on the 30 best papers, so it fills its 40 % and no more');
  assert.equal(counts.get('Large Language Models'), 4);
  assert.equal(counts.get('Computer Vision') ?? 0, 0, 'vision papers also carry the capped NLP tag');
  assert.equal(counts.get('Theory')! + counts.get('Optimization')!, 6);
});

test('a day too uniform for the cap gives a shorter digest rather than break it', () => {
  const pool = Array.from({ length: 30 }, (_, i) => candidate(`2606.${10000 + i}`, ['Theory']));
  assert.equal(selectDigest(pool, options).length, 4);
});

test('ranks by AI Score, not Novelty; the reason gives the scores, the rank and the deciding signals; deterministic', () => {
  const pool = [
    candidate('2606.00001', ['Theory'], { novelty: 99, aiScore: 30 }),
    candidate('2606.00002', ['NLP'], { novelty: 40, aiScore: 70, deciding: ['code released', '12 authors'] }),
    candidate('2606.00003', ['Optimization'], { novelty: 60, aiScore: 60, revision: 'Revised in v2: abstract substantially rewritten.' }),
  ];
  const picked = selectDigest(pool, { ...options, size: 3 });
  assert.deepEqual(picked.map((p) => p.id), ['2606.00002', '2606.00003', '2606.00001']);
  assert.equal(picked[0]!.combined, 70);
  assert.equal(picked[0]!.why, 'AI Score 70 (1st of 3 today), Novelty 40 %: code released; 12 authors.');
  assert.match(picked[1]!.why, /^Revised in v2: abstract substantially rewritten\. AI Score 60 \(2nd of 3 today\), Novelty 60 %\.$/);
  assert.deepEqual(selectDigest([...pool].reverse(), { ...options, size: 3 }), picked);
});
