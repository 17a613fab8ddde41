import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getAuthorProfile, type AuthorProfile } from '../../src/digest/author-profile.ts';
import { enrichAuthors } from '../../src/enrich/enrich-authors.ts';
import { createEnrichmentSources } from '../../src/enrich/sources.ts';
import { silentLogger } from '../../src/log.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { createTestContext } from '../helpers/context.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';
import { bundledPapers } from '../helpers/snapshot.ts';
import { enrichEnv, snapshotEnrichment } from './fixtures.ts';

let server: ScholarlyServer;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
const LE = 'Trung-Nghia Le';

before(async () => {
  server = await startScholarlyServer(snapshotEnrichment());
  ctx = await createTestContext(enrichEnv(server));
  const papers = (await bundledPapers()).filter((p) => p.record.authors.some((a) => a.name === LE || a.name === 'Li Zhang'));
  await storeAnnouncedPapers(ctx.store.db, papers, 'test');
});
after(async () => {
  await ctx.close();
  await server.close();
});

const sources = () => createEnrichmentSources(ctx.config, silentLogger);

async function authorsNamed(name: string) {
  return ctx.store.db.selectFrom('authors').selectAll().where('name', '=', name).orderBy('id').execute();
}

async function profileOf(where: { s2?: string; name?: string }): Promise<AuthorProfile> {
  const row = await ctx.store
    .db.selectFrom('authors')
    .select('id')
    .$if(where.s2 !== undefined, (q) => q.where('semantic_scholar_id', '=', where.s2!))
    .$if(where.name !== undefined, (q) => q.where('name', '=', where.name!))
    .executeTakeFirstOrThrow();
  return (await getAuthorProfile(ctx.store, row.id))!;
}

test('before enrichment every appearance of a name is its own unverified author, with listed figures "not looked up yet"', async () => {
  const le = await authorsNamed(LE);
  const papersOfLe = Number((await ctx.store.db.selectFrom('paper_authors').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', LE).executeTakeFirstOrThrow()).n);
  assert.equal(le.length, papersOfLe, 'one row per appearance, never joined by name');
  const profile = (await getAuthorProfile(ctx.store, le[0]!.id))!;
  assert.equal(profile.verified, false);
  assert.equal(profile.paperList.total, 1);
  assert.equal(profile.citations.value, null);
  assert.match(profile.citations.label, /not looked up yet/);
  assert.equal(profile.novelty.label, 'Novelty %: not yet scored');
});

test('enrichment links authors through S2 and OpenAlex ids: the ids join papers, the rest stays apart', async () => {
  const totals = await enrichAuthors(ctx, sources());
  assert.equal(totals.semanticScholar.found, 7);
  assert.equal(totals.openAlex.found, 3);
  assert.deepEqual(totals.unreachable, []);
  const le = await profileOf({ s2: '91000005' });
  // 15867, 16103, 18553 by S2 id (17430 too, where S2 spells "T. Le"); 17431 has no S2 id but OpenAlex's joins it.
  assert.deepEqual(le.paperList.papers.map((p) => p.id), ['2606.18553', '2606.17431', '2606.17430', '2606.16103', '2606.15867'], 'newest first');
  // The other Le on 18553 is another person.
  const xuan = (await authorsNamed('Xuan-Vu Le'))[0]!;
  assert.equal(xuan.semantic_scholar_id, '91000013');
  assert.deepEqual(le.ids, { semanticScholar: '91000005', openAlex: 'A5000000005', orcid: '0000-0002-7363-2610' });
  assert.equal(le.verified, true);
  assert.equal(le.links.semanticScholar, 'https://www.semanticscholar.org/author/91000005');
  // Papers no source knows keep their own name-only rows.
  const rest = (await authorsNamed(LE)).filter((a) => a.semantic_scholar_id === null);
  assert.ok(rest.length >= 1 && rest.every((a) => a.openalex_id === null && a.orcid === null));
  const unknown = (await getAuthorProfile(ctx.store, rest[0]!.id))!;
  assert.equal(unknown.verified, false);
  assert.match(unknown.listed.citations.label, /^citations of the papers listed: none of the 1 paper listed found in Semantic Scholar/);
});

test('namesakes: two "Li Zhang"s with different S2 ids are two profiles, never merged', async () => {
  const first = await profileOf({ s2: '92000001' });
  const second = await profileOf({ s2: '92000002' });
  assert.notEqual(first.id, second.id);
  assert.deepEqual(first.paperList.papers.map((p) => p.id), ['2606.15681']);
  assert.deepEqual(second.paperList.papers.map((p) => p.id), ['2606.17561']);
  assert.equal(first.hIndex.value, 9);
  assert.equal(second.hIndex.value, 52);
  const unlinked = (await authorsNamed('Li Zhang')).filter((a) => a.semantic_scholar_id === null);
  for (const row of unlinked) assert.equal((await getAuthorProfile(ctx.store, row.id))!.paperList.total, 1);
});

/** Independent of the code under test: h is the number of papers ranked r with count ≥ r. */
function referenceHIndex(counts: number[]): number {
  return [...counts].sort((a, b) => b - a).filter((c, i) => c >= i + 1).length;
}

test('every profile: the "listed papers" figures are recomputed from the listed papers, and each headline trio agrees', async () => {
  const ids = await ctx.store.db.selectFrom('authors').select('id').execute();
  let checked = 0;
  for (const { id } of ids) {
    const profile = (await getAuthorProfile(ctx.store, id, { pageSize: 1000 }))!;
    const listedIds = profile.paperList.papers.map((p) => p.id);
    assert.equal(profile.listed.papers.value, listedIds.length);
    const lookups = await ctx.store.db.selectFrom('paper_lookups').selectAll().where('paper_id', 'in', listedIds).where('source', '=', 'semantic_scholar').where('status', '=', 'found').execute();
    const counts = lookups.map((l) => l.citation_count!);
    if (counts.length > 0) {
      assert.equal(profile.listed.citations.value, counts.reduce((a, b) => a + b, 0), `author ${id} citations`);
      assert.equal(profile.listed.hIndex.value, referenceHIndex(counts), `author ${id} h-index`);
      assert.match(profile.listed.citations.label, new RegExp(`citations of the (${counts.length} of )?${listedIds.length} papers? listed`));
      checked += 1;
    }
    const trio = [profile.hIndex, profile.papers, profile.citations];
    // Either one source's author record for all three, or exactly the listed-papers figures.
    const listedTrio = [profile.listed.hIndex, profile.listed.papers, profile.listed.citations];
    if (new Set(trio.map((f) => f.source)).size !== 1) assert.deepEqual(trio, listedTrio, `author ${id}: mixed sources only as the listed-papers trio`);
    if (profile.hIndex.value !== null && profile.papers.value !== null && profile.citations.value !== null) {
      assert.ok(profile.hIndex.value <= profile.papers.value, `h ${profile.hIndex.value} ≤ papers ${profile.papers.value}`);
      assert.ok(profile.hIndex.value ** 2 <= profile.citations.value, `h² ≤ citations for author ${id}`);
    }
  }
  console.log(`listed-paper figures recomputed for ${checked} of ${ids.length} profiles (the rest have no paper found in Semantic Scholar)`);
  assert.ok(checked >= 5, `${checked} profiles with looked-up papers`);
  const le = await profileOf({ s2: '91000005' });
  assert.equal(le.hIndex.label.replace(/\d{4}-\d{2}-\d{2}$/, 'DATE'), 'h-index 21 — Semantic Scholar, all publications, DATE');
  assert.equal(le.listed.citations.label.replace(/\d{4}-\d{2}-\d{2}/, 'DATE'), 'citations of the 5 papers listed — 16 (Semantic Scholar, DATE)');
});

test('the paper list is paginated newest first; a page past the end shows the last page', async () => {
  const row = await ctx.store.db.selectFrom('authors').select('id').where('semantic_scholar_id', '=', '91000005').executeTakeFirstOrThrow();
  const pages = await Promise.all([1, 2, 3, 9].map((page) => getAuthorProfile(ctx.store, row.id, { page, pageSize: 2 })));
  assert.deepEqual(pages.map((p) => p!.paperList.papers.map((x) => x.id)), [['2606.18553', '2606.17431'], ['2606.17430', '2606.16103'], ['2606.15867'], ['2606.15867']]);
  assert.deepEqual([pages[0]!.paperList.pages, pages[0]!.paperList.total, pages[3]!.paperList.page], [3, 5, 3]);
  // Figures are over all listed papers, not the page shown.
  assert.equal(pages[2]!.listed.citations.value, 16);
});

test('a partial S2 author record (null affiliations, no hIndex) shows "not known", not a made-up figure', async () => {
  const tran = await profileOf({ s2: '91000004' });
  assert.equal(tran.hIndex.value, null);
  assert.match(tran.hIndex.label, /^h-index: not known — Semantic Scholar/);
  assert.equal(tran.papers.value, 310);
  assert.deepEqual(tran.affiliations.map((a) => a.short), ['hcmus'], 'affiliations from OpenAlex when S2 has none');
});

test('affiliations of a paper come from OpenAlex authorships, short names with full names kept', async () => {
  const le = await profileOf({ s2: '91000005' });
  const paper = le.paperList.papers.find((p) => p.id === '2606.15867')!;
  assert.deepEqual(paper.affiliations, [
    { name: 'University of Science Ho Chi Minh City', short: 'hcmus' },
    { name: 'Seattle University', short: 'seattle' },
    { name: 'Vietnam National University Ho Chi Minh City', short: 'vnu-hcm' },
  ]);
});

test('arXiv affiliation elements, when a paper has them, win over OpenAlex institutions', async () => {
  const setAffiliations = (list: string[]) =>
    ctx.store.db.updateTable('paper_authors').set({ affiliations: JSON.stringify(list) }).where('paper_id', '=', '2606.15867').where('position', '=', 4).execute();
  await setAffiliations(['University of Washington', 'Google DeepMind']);
  try {
    const le = await profileOf({ s2: '91000005' });
    assert.deepEqual(le.paperList.papers.find((p) => p.id === '2606.15867')!.affiliations, [
      { name: 'University of Washington', short: 'uw' },
      { name: 'Google DeepMind', short: 'deepmind' },
    ]);
  } finally {
    await setAffiliations([]);
  }
});

test('Novelty % and AI Score: means over papers scored for their shown version with the newest method, else "not yet scored"', async () => {
  const le = await profileOf({ s2: '91000005' });
  assert.equal(le.aiScore.label, 'AI Score: not yet scored');
  const row = (paper_id: string, version: number, method_version: string, novelty: number | null, ai_score: number | null, computed_at: string) => ({ paper_id, version, method_version, novelty, ai_score, details: '{}', computed_at });
  await ctx.store
    .db.insertInto('scores')
    .values([
      row('2606.15867', 1, 'score-v1', 10, 20, '2026-07-01T00:00:00Z'),
      row('2606.15867', 1, 'score-v2', 40, 60, '2026-08-01T00:00:00Z'),
      row('2606.16103', 1, 'score-v2', 50, 71, '2026-08-01T00:00:00Z'),
      // A score of a version that is not the one shown does not count.
      row('2606.17430', 9, 'score-v2', 99, 99, '2026-08-01T00:00:00Z'),
    ])
    .execute();
  const scored = await profileOf({ s2: '91000005' });
  assert.equal(scored.novelty.value, 45);
  assert.equal(scored.aiScore.value, 65.5);
  assert.equal(scored.novelty.label, 'Novelty % 45 — mean over 2 scored papers — papersift score-v2');
  assert.equal(scored.aiScore.scoredPapers, 2);
});

test('answers are reused until the refresh age passes; then looked up again', async () => {
  const before = server.requests.length;
  const again = await enrichAuthors(ctx, sources());
  assert.equal(again.papers, 0);
  assert.equal(server.requests.length, before, 'no request inside the refresh age');
  const later = await enrichAuthors(ctx, sources(), { now: new Date(Date.now() + 31 * 86_400_000), limit: 5 });
  assert.equal(later.papers, 5);
  assert.ok(server.requests.length > before);
});

test('Semantic Scholar unreachable (503 after retries): OpenAlex still runs and the stored S2 figures stay on the profile', async () => {
  for (let i = 0; i < 3; i += 1) server.queueFault('s2', { status: 503 });
  const totals = await enrichAuthors(ctx, sources(), { now: new Date(Date.now() + 62 * 86_400_000) });
  assert.deepEqual(totals.unreachable, ['Semantic Scholar']);
  assert.ok(totals.openAlex.found >= 3);
  const le = await profileOf({ s2: '91000005' });
  assert.equal(le.hIndex.value, 21);
  assert.equal(le.paperList.total, 5);
});
