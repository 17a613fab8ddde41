import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AnnouncedPaper } from '../../src/domain/paper.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { createTestContext } from '../helpers/context.ts';
import { idsMatchingInIndex } from '../helpers/fts.ts';
import { samplePapers } from '../helpers/snapshot.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let papers: AnnouncedPaper[];

before(async () => {
  ctx = await createTestContext();
  papers = await samplePapers(5);
});
after(() => ctx.close());

async function tableCounts() {
  const count = async (table: 'papers' | 'paper_versions' | 'paper_authors' | 'paper_categories' | 'announcements' | 'authors') =>
    Number((await ctx.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    papers: await count('papers'),
    versions: await count('paper_versions'),
    authorLinks: await count('paper_authors'),
    categories: await count('paper_categories'),
    announcements: await count('announcements'),
    authors: await count('authors'),
  };
}

test('storing the same announced papers twice neither duplicates nor loses rows', async () => {
  const first = await storeAnnouncedPapers(ctx.store.db, papers, 'test');
  assert.equal(first.inserted, papers.length);
  const afterFirst = await tableCounts();
  assert.equal(afterFirst.papers, papers.length);
  assert.equal(afterFirst.versions, papers.length);
  assert.equal(afterFirst.authorLinks, papers.reduce((n, p) => n + p.record.authors.length, 0));
  const second = await storeAnnouncedPapers(ctx.store.db, papers, 'test');
  assert.deepEqual(second, { inserted: 0, updated: 0, unchanged: papers.length });
  assert.deepEqual(await tableCounts(), afterFirst);
});

test('a new version replaces the shown metadata, keeps the old version and marks the summary stale', async () => {
  const original = papers[0]!;
  await ctx.store.db.updateTable('papers').set({ summary_status: 'success' }).where('id', '=', original.record.id).execute();
  const v2: AnnouncedPaper = {
    announcedOn: '2026-06-30',
    announceType: 'replace',
    record: { ...original.record, version: 2, title: 'A Revised Title with $4\\times$ Speed', updated: '2026-06-29T10:00:00Z', categories: [...original.record.categories, 'stat.ML'] },
  };
  const counts = await storeAnnouncedPapers(ctx.store.db, [v2], 'test');
  assert.deepEqual(counts, { inserted: 0, updated: 1, unchanged: 0 });
  const paper = await ctx.store.db.selectFrom('papers').selectAll().where('id', '=', original.record.id).executeTakeFirstOrThrow();
  assert.equal(paper.latest_version, 2);
  assert.equal(paper.title, 'A Revised Title with 4× Speed');
  assert.equal(paper.summary_status, 'pending');
  assert.equal(paper.first_announced_on, original.announcedOn, 'first announcement date is kept');
  const versions = await ctx.store.db.selectFrom('paper_versions').select(['version', 'title_raw']).where('paper_id', '=', original.record.id).orderBy('version').execute();
  assert.deepEqual(versions.map((v) => v.version), [1, 2]);
  assert.equal(versions[0]!.title_raw, original.record.title);
  assert.equal(versions[1]!.title_raw, 'A Revised Title with $4\\times$ Speed', 'the raw TeX is kept per version');
  const categories = await ctx.store.db.selectFrom('paper_categories').select('category').where('paper_id', '=', original.record.id).orderBy('position').execute();
  assert.equal(categories.at(-1)!.category, 'stat.ML');

  // Seeing version 1 again afterwards changes nothing.
  const again = await storeAnnouncedPapers(ctx.store.db, [original], 'test');
  assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: 1 });
  const still = await ctx.store.db.selectFrom('papers').select(['latest_version', 'title']).where('id', '=', original.record.id).executeTakeFirstOrThrow();
  assert.deepEqual(still, { latest_version: 2, title: 'A Revised Title with 4× Speed' });
});

test('authors keep their order; the same name on two papers is two name-only author rows, never one by name', async () => {
  const paper = papers[1]!;
  const links = await ctx.store.db.selectFrom('paper_authors').select(['position', 'name']).where('paper_id', '=', paper.record.id).orderBy('position').execute();
  assert.deepEqual(links.map((l) => l.name), paper.record.authors.map((a) => a.name));
  const namesake = (id: string): AnnouncedPaper => ({
    announcedOn: '2026-06-30',
    announceType: 'new',
    record: { ...paper.record, id, authors: [{ name: 'Ana Silva', affiliations: [] }, { name: 'Ana  Silva', affiliations: [] }] },
  });
  await storeAnnouncedPapers(ctx.store.db, [namesake('2606.99101'), namesake('2606.99102')], 'test');
  const rows = await ctx.store.db.selectFrom('paper_authors').select(['paper_id', 'author_id']).where('paper_id', 'in', ['2606.99101', '2606.99102']).execute();
  assert.equal(new Set(rows.map((r) => r.author_id)).size, 4, 'one row per appearance, even for two equal names on one paper');
});

test('a new version keeps each author row (and any ids enrichment gave it); the row of a dropped name goes', async () => {
  const paper = papers[3]!;
  const before = await ctx.store.db.selectFrom('paper_authors').select(['position', 'author_id', 'name']).where('paper_id', '=', paper.record.id).orderBy('position').execute();
  await ctx.store.db.updateTable('authors').set({ semantic_scholar_id: 'test-s2-1' }).where('id', '=', before[0]!.author_id).execute();
  const [first, ...rest] = paper.record.authors;
  // v2 moves the first author last and drops the (new) second one.
  const reordered = [...rest.slice(1), first!];
  await storeAnnouncedPapers(ctx.store.db, [{ ...paper, record: { ...paper.record, version: paper.record.version + 1, authors: reordered } }], 'test');
  const after = await ctx.store.db.selectFrom('paper_authors').select(['author_id', 'name']).where('paper_id', '=', paper.record.id).orderBy('position').execute();
  assert.equal(after.at(-1)!.author_id, before[0]!.author_id, 'same person, new position');
  for (const row of after) assert.equal(row.author_id, before.find((b) => b.name === row.name)!.author_id);
  if (rest.length > 0) {
    const dropped = before.find((b) => b.name === rest[0]!.name)!;
    assert.equal(await ctx.store.db.selectFrom('authors').select('id').where('id', '=', dropped.author_id).executeTakeFirst(), undefined);
  }
});

test('full-text index finds a stored paper by a word of its title once the index stage ran', async () => {
  const paper = papers[2]!;
  assert.ok((await ctx.store.searchIndex.refresh()) >= papers.length - 1);
  assert.equal(await ctx.store.searchIndex.refresh(), 0, 'nothing left to index');
  const word = paper.record.title.split(/\W+/).find((w) => w.length > 6)!;
  assert.ok((await idsMatchingInIndex(ctx.store, word)).includes(paper.record.id), `searching "${word}" finds ${paper.record.id}`);
});

test('a replaced author list is searchable under the new names, not the old, after the index stage', async () => {
  const paper = papers[4]!;
  await ctx.store.searchIndex.refresh();
  const find = (word: string) => idsMatchingInIndex(ctx.store, word, 'authors');
  const dropped = paper.record.authors[0]!.name.split(' ').at(-1)!;
  assert.ok((await find(dropped)).includes(paper.record.id), `indexed under ${dropped}`);
  const renamed = [{ name: 'Zebulon Quixotically', affiliations: [] }, ...paper.record.authors.slice(1).filter((a) => !a.name.includes(dropped))];
  await storeAnnouncedPapers(ctx.store.db, [{ ...paper, record: { ...paper.record, version: paper.record.version + 1, authors: renamed } }], 'test');
  assert.ok((await ctx.store.searchIndex.refresh()) >= 1, 'the paper was marked for the index');
  assert.deepEqual(await find('Quixotically'), [paper.record.id]);
  assert.ok(!(await find(dropped)).includes(paper.record.id), `no longer indexed under ${dropped}`);
});
