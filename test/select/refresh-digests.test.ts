/**
 * The day-by-day selection over a real store: a paper shown once is not shown again when it comes
 * back as a cross-list or a lightly edited new version, but is when the new version changed materially.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnouncedPaper } from '../../src/domain/paper.ts';
import { scorePendingPapers } from '../../src/score/score-papers.ts';
import { changedMaterially, wordOverlap } from '../../src/select/material-change.ts';
import { refreshDigests } from '../../src/select/refresh-digests.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import { summarizePendingPapers } from '../../src/summarize/summarize-pending.ts';
import { createTestContext } from '../helpers/context.ts';
import { bundledPapers } from '../helpers/snapshot.ts';

const settings = { digestSize: 50, historyDays: 7, categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'], maxTagShare: 1 };

test('material change: a new title or a rewritten abstract, not a typo fix or an added sentence', () => {
  const abstract = 'We study sparse attention for long documents and show that a learned router halves memory use while keeping accuracy on six benchmarks.';
  assert.equal(changedMaterially({ title: 'Sparse Routers', abstract }, { title: 'Sparse  routers', abstract: abstract.replace('halves', 'halves the') }), false);
  assert.equal(changedMaterially({ title: 'Sparse Routers', abstract }, { title: 'Sparse Routers', abstract: `${abstract} Code is released.` }), false);
  assert.equal(changedMaterially({ title: 'Sparse Routers', abstract }, { title: 'Learned Sparse Routers for Long Documents', abstract }), true);
  const rewritten = 'We revisit the problem with a dense baseline and find that the router helps only for inputs longer than a book chapter.';
  assert.ok(wordOverlap(abstract, rewritten) < 0.8);
  assert.equal(changedMaterially({ title: 'Sparse Routers', abstract }, { title: 'Sparse Routers', abstract: rewritten }), true);
});

test('shown papers come back only as material revisions; cross-lists and small edits are not re-selected', async () => {
  const real = (await bundledPapers()).filter((p) => p.record.categories.includes('cs.LG')).slice(0, 30);
  const ctx = await createTestContext();
  try {
    const day1 = real.slice(0, 10).map((p): AnnouncedPaper => ({ announcedOn: '2026-06-01', announceType: 'new', record: { ...p.record, version: 1, versions: undefined } }));
    await storeAnnouncedPapers(ctx.store.db, day1, 'test');
    const pass = async () => {
      await summarizePendingPapers(ctx.store, createOfflineEngine());
      await scorePendingPapers(ctx.store);
      return refreshDigests(ctx.store, settings);
    };
    assert.deepEqual(Object.fromEntries(await pass()), { '2026-06-01': 10 });

    const [edited, rewritten, crossListed] = day1.map((p) => p.record);
    const day2: AnnouncedPaper[] = [
      { announcedOn: '2026-06-02', announceType: 'replace', record: { ...edited!, version: 2, abstract: `${edited!.abstract} Minor corrections.`, updated: '2026-06-01T12:00:00Z' } },
      {
        announcedOn: '2026-06-02',
        announceType: 'replace',
        record: { ...rewritten!, version: 2, title: `${rewritten!.title} (revised and extended)`, abstract: real[20]!.record.abstract, updated: '2026-06-01T12:00:00Z' },
      },
      { announcedOn: '2026-06-02', announceType: 'cross', record: crossListed! },
      ...real.slice(10, 15).map((p): AnnouncedPaper => ({ announcedOn: '2026-06-02', announceType: 'new', record: { ...p.record, version: 1, versions: undefined } })),
    ];
    await storeAnnouncedPapers(ctx.store.db, day2, 'test');
    const picked = await pass();
    const entries = await ctx.store.db.selectFrom('digest_entries').select(['announced_on', 'paper_id', 'why']).where('announced_on', '=', '2026-06-02').execute();
    const ids = entries.map((e) => e.paper_id);
    assert.equal(picked.get('2026-06-02'), 6, 'five new papers and one material revision');
    assert.ok(ids.includes(rewritten!.id), 'the materially changed paper is selected again');
    assert.match(entries.find((e) => e.paper_id === rewritten!.id)!.why, /^Revised in v2: new title and text\. AI Score \d+ \(\d+(st|nd|rd|th) of \d+ today\), Novelty \d+ %/);
    assert.ok(!ids.includes(edited!.id), 'a small edit of a shown paper is not re-selected');
    assert.ok(!ids.includes(crossListed!.id), 'a cross-list of a shown paper counts once');
    assert.equal((await ctx.store.db.selectFrom('digest_entries').select('paper_id').where('announced_on', '=', '2026-06-01').execute()).length, 10, 'day 1 keeps its digest');

    // Rerunning the pass changes nothing.
    assert.deepEqual(await pass(), picked);
    const again = await ctx.store.db.selectFrom('digest_entries').select(['announced_on', 'paper_id', 'why']).where('announced_on', '=', '2026-06-02').execute();
    assert.deepEqual(again, entries);
  } finally {
    await ctx.close();
  }
});
