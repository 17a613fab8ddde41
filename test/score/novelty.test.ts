/**
 * Novelty % by retrieval, against a real SQLite store holding real papers of the bundled snapshot:
 * a near-duplicate of an earlier paper scores low, a paper on a topic absent from the corpus high,
 * and recomputing gives the same numbers whatever order the papers were stored in.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnouncedPaper } from '../../src/domain/paper.ts';
import { parseScoreDetails, SCORING_METHOD } from '../../src/domain/scoring.ts';
import { MAX_REFERENCE, noveltyDistance, percentileOf } from '../../src/score/novelty.ts';
import { scorePendingPapers } from '../../src/score/score-papers.ts';
import { TextIndex } from '../../src/score/text-index.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestContext } from '../helpers/context.ts';
import { bundledPapers } from '../helpers/snapshot.ts';

function asAnnounced(paper: AnnouncedPaper, id: string, day: string, changes: Partial<AnnouncedPaper['record']> = {}): AnnouncedPaper {
  return { announcedOn: day, announceType: 'new', record: { ...paper.record, id, version: 1, published: `${day}T00:00:00Z`, updated: `${day}T00:00:00Z`, versions: undefined, ...changes } };
}

async function scoreRows(store: Store) {
  return store.db.selectFrom('scores').select(['paper_id', 'version', 'method_version', 'novelty', 'ai_score', 'details']).orderBy('paper_id').execute();
}

test('the text index finds the nearest earlier documents only, by exact cosine', () => {
  const index = TextIndex.from([
    { key: 'b', time: 2, text: 'graph neural networks for molecule property prediction' },
    { key: 'a', time: 1, text: 'graph neural networks for molecule property prediction' },
    { key: 'c', time: 3, text: 'diffusion models generate images from text prompts' },
    { key: 'd', time: 4, text: 'graph neural networks predict molecule properties with diffusion' },
  ]);
  assert.deepEqual(index.nearestEarlier('a', 5), [], 'nothing is earlier than the first paper');
  const ofB = index.nearestEarlier('b', 5);
  assert.equal(ofB[0]!.key, 'a');
  assert.ok(Math.abs(ofB[0]!.similarity - 1) < 1e-9, 'identical text');
  assert.ok(!index.nearestEarlier('c', 5).some((n) => n.key === 'd'), 'a later paper is never a neighbour');
  const ofD = index.nearestEarlier('d', 2);
  assert.deepEqual(ofD.map((n) => n.key), ['a', 'b'], 'ties go to the earlier paper');
  assert.ok(ofD[0]!.similarity > 0 && ofD[0]!.similarity < 1);
});

test('distance and percentile follow the documented formulas', () => {
  assert.equal(noveltyDistance([{ key: 'x', similarity: 0.5 }, { key: 'y', similarity: 0.25 }], 5), 0.85, 'missing neighbours count as 0');
  const reference = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
  assert.equal(percentileOf(0.35, reference), 75);
  assert.equal(percentileOf(0.3, reference), 62.5, 'a tie counts half');
  assert.equal(percentileOf(0.3, reference, 0.3), 66.7, 'the paper itself is left out of its reference');
  assert.equal(percentileOf(0.05, reference), 0);
  assert.equal(percentileOf(0.9, reference), 100);
});

test('a near-duplicate of an earlier paper scores low, a paper on an absent topic high', async () => {
  const real = (await bundledPapers()).slice(0, 260);
  const ctx = await createTestContext();
  try {
    const corpus = real.slice(0, 200).map((p, i) => asAnnounced(p, `2605.${String(10000 + i)}`, i < 100 ? '2026-05-04' : '2026-05-05'));
    const sameDay = real.slice(200, 260).map((p, i) => asAnnounced(p, `2605.${String(20000 + i)}`, '2026-05-06'));
    const original = corpus[17]!.record;
    // The same paper retitled and lightly reworded, as happens with resubmissions under a new id.
    const nearDuplicate = asAnnounced(real[17]!, '2605.30001', '2026-05-06', {
      title: `${original.title}: an extended study`,
      abstract: original.abstract.replace(/\bWe\b/, 'In this work, we').replace(/\.\s*$/, '. We also report additional ablations.'),
    });
    const absentTopic = asAnnounced(real[18]!, '2605.30002', '2026-05-06', {
      title: 'Soil acidity and tannin extraction in medieval Burgundian viticulture',
      abstract:
        'Monastic cellar ledgers from Burgundy record harvest dates, barrel counts and soil descriptions across four centuries. ' +
        'We transcribe the ledgers, relate vineyard parcels to limestone and marl outcrops, and trace how tannin-rich pressings ' +
        'were blended by cellarers. Parish tithe records corroborate the vintage chronology, and sediment cores from nearby ponds ' +
        'date episodes of vineyard abandonment during plague years.',
    });
    await storeAnnouncedPapers(ctx.store.db, [...corpus, ...sameDay, nearDuplicate, absentTopic], 'test');
    const totals = await scorePendingPapers(ctx.store);
    assert.equal(totals.scored, 262, 'every paper is scored');

    const rows = new Map((await scoreRows(ctx.store)).map((r) => [r.paper_id, r]));
    const dup = rows.get('2605.30001')!;
    const absent = rows.get('2605.30002')!;
    const dupDetails = parseScoreDetails(dup.details)!;
    const absentDetails = parseScoreDetails(absent.details)!;
    console.log(`near-duplicate: Novelty ${dup.novelty} % (distance ${dupDetails.novelty.distance}); absent topic: Novelty ${absent.novelty} % (distance ${absentDetails.novelty.distance})`);
    assert.ok(absent.novelty! > dup.novelty!, 'the absent topic is more novel than the near-duplicate');
    assert.ok(dup.novelty! <= 5, `near-duplicate novelty ${dup.novelty}`);
    assert.ok(absent.novelty! >= 95, `absent-topic novelty ${absent.novelty}`);
    assert.equal(dupDetails.novelty.closest[0]!.id, '2605.10017', 'the closest prior paper is the original');
    assert.equal(dupDetails.novelty.closest[0]!.title, original.title);
    assert.ok(dupDetails.novelty.closest[0]!.similarity > 0.8);
    assert.ok(absentDetails.novelty.closest.every((c) => c.similarity < 0.1));
    assert.equal(dupDetails.novelty.closest.length, 5);
    assert.ok(dupDetails.novelty.reference.sameDay, 'a store younger than 30 days calibrates against the same day');
    for (const row of rows.values()) {
      assert.equal(row.method_version, SCORING_METHOD);
      assert.ok(row.novelty! >= 0 && row.novelty! <= 100 && row.ai_score! >= 0 && row.ai_score! <= 100);
    }
  } finally {
    await ctx.close();
  }
});

test('deterministic: a recompute, and a store filled in another order, give the same numbers', async () => {
  const real = (await bundledPapers()).slice(0, 400);
  // 45 days of history, so the 30-day calibration window and the author track record are in play.
  const papers = real.map((p, i) => {
    const day = new Date(Date.UTC(2026, 3, 1) + Math.floor(i / 9) * 86_400_000).toISOString().slice(0, 10);
    return asAnnounced(p, `2604.${String(10000 + i)}`, day);
  });
  const first = await createTestContext();
  const second = await createTestContext();
  try {
    await storeAnnouncedPapers(first.store.db, papers, 'test');
    await scorePendingPapers(first.store);
    const once = await scoreRows(first.store);
    assert.equal(once.length, 400);
    const late = parseScoreDetails(once.at(-1)!.details)!;
    assert.equal(late.novelty.reference.sameDay, false, 'late papers are calibrated against the previous 30 days');
    assert.ok(late.novelty.reference.papers > 200 && late.novelty.reference.papers <= MAX_REFERENCE);
    assert.ok(!/unknown/.test(late.aiScore.signals.find((s) => s.key === 'trackRecord')!.detail), 'track record is known with 30 days of history');

    await first.store.db.deleteFrom('scores').execute();
    await scorePendingPapers(first.store);
    assert.deepEqual(await scoreRows(first.store), once, 'recompute: same numbers and details');

    for (let i = papers.length; i > 0; i -= 50) await storeAnnouncedPapers(second.store.db, papers.slice(Math.max(0, i - 50), i), 'test');
    await scorePendingPapers(second.store);
    assert.deepEqual(await scoreRows(second.store), once, 'insertion order does not matter');
  } finally {
    await first.close();
    await second.close();
  }
});
