/**
 * The merged profile users complain about (in the product brief): one prolific ML researcher's
 * page also listed namesakes' papers on quantum chemistry, yoga pose recognition and medical images.
 * Built here with one name on five papers and the sources' answers for each.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getAuthorProfile } from '../../src/digest/author-profile.ts';
import type { AnnouncedPaper } from '../../src/domain/paper.ts';
import { enrichAuthors } from '../../src/enrich/enrich-authors.ts';
import { createEnrichmentSources } from '../../src/enrich/sources.ts';
import { silentLogger } from '../../src/log.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { createTestContext } from '../helpers/context.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';
import { enrichEnv } from './fixtures.ts';

const NAME = 'Arjun Rao';
const ORCID_ML = 'https://orcid.org/0000-0001-5555-0001';

function paper(id: string, category: string, title: string, coauthor: string): AnnouncedPaper {
  return {
    announcedOn: '2026-06-17',
    announceType: 'new',
    record: {
      id,
      version: 1,
      title,
      abstract: `${title}. We describe the method and report results on standard benchmarks in this field.`,
      authors: [{ name: coauthor, affiliations: [] }, { name: NAME, affiliations: [] }],
      categories: [category],
      comment: null,
      journalRef: null,
      doi: null,
      license: null,
      published: '2026-06-16T10:00:00Z',
      updated: '2026-06-16T10:00:00Z',
    },
  };
}

const papers = [
  paper('2606.90001', 'cs.LG', 'Scaling Sparse Mixture-of-Experts Training to Ten Thousand Accelerators', 'Mei Lin'),
  paper('2606.90002', 'cs.LG', 'Communication-Efficient Data Parallelism for Trillion-Token Pretraining', 'Omar Haddad'),
  paper('2606.90003', 'physics.chem-ph', 'Coupled-Cluster Energies of Transition-Metal Complexes on Quantum Hardware', 'Lena Vogt'),
  paper('2606.90004', 'cs.CV', 'Real-Time Yoga Pose Recognition from a Single Phone Camera', 'Priya Nair'),
  paper('2606.90005', 'eess.IV', 'Lesion Segmentation in Low-Dose Chest CT with Weak Labels', 'Kenji Sato'),
];

const s2 = (coauthor: string, id: string | null) => ({ paperId: `p${Math.random().toString(16).slice(2, 10)}`, citationCount: 4, influentialCitationCount: 0, authors: [{ authorId: '94000000', name: coauthor }, { authorId: id, name: NAME }] });
const work = (id: string, coauthor: string, authorId: string, orcid: string | null) => ({
  id: `https://openalex.org/W${id.replace('.', '')}`,
  doi: `https://doi.org/10.48550/arxiv.${id}`,
  cited_by_count: 4,
  authorships: [
    { author: { id: 'https://openalex.org/A5900000000', display_name: coauthor, orcid: null }, institutions: [] },
    { author: { id: `https://openalex.org/${authorId}`, display_name: NAME, orcid }, institutions: [] },
  ],
});

let server: ScholarlyServer;
let ctx: Awaited<ReturnType<typeof createTestContext>>;

before(async () => {
  server = await startScholarlyServer({
    s2Papers: {
      '2606.90001': s2('Mei Lin', '93000001'),
      '2606.90002': s2('Omar Haddad', '93000001'),
      '2606.90003': s2('Lena Vogt', '93000002'),
      // 90004: unknown to both sources. 90005: OpenAlex only.
    },
    s2Authors: {
      '93000001': { authorId: '93000001', name: NAME, hIndex: 30, paperCount: 95, citationCount: 6100, affiliations: [] },
      '93000002': { authorId: '93000002', name: NAME, hIndex: 6, paperCount: 14, citationCount: 130, affiliations: [] },
    },
    openAlexWorks: {
      '2606.90001': work('2606.90001', 'Mei Lin', 'A5900000001', ORCID_ML),
      // A source error: the chemist's authorship carries the ML researcher's ORCID. Two S2 ids claim it: kept apart.
      '2606.90003': work('2606.90003', 'Lena Vogt', 'A5900000003', ORCID_ML),
      '2606.90005': work('2606.90005', 'Kenji Sato', 'A5900000005', null),
    },
  });
  ctx = await createTestContext(enrichEnv(server));
  await storeAnnouncedPapers(ctx.store.db, papers, 'test');
  await enrichAuthors(ctx, createEnrichmentSources(ctx.config, silentLogger));
});
after(async () => {
  await ctx.close();
  await server.close();
});

async function profileListing(paperId: string) {
  const link = await ctx.store.db.selectFrom('paper_authors').select('author_id').where('paper_id', '=', paperId).where('name', '=', NAME).executeTakeFirstOrThrow();
  return (await getAuthorProfile(ctx.store, link.author_id))!;
}

test('the ML researcher’s profile lists only the papers an id joins: no quantum chemistry, yoga or medical imaging', async () => {
  const ml = await profileListing('2606.90001');
  assert.deepEqual(ml.paperList.papers.map((p) => p.id).sort(), ['2606.90001', '2606.90002']);
  assert.equal(ml.primaryCategory.value, 'cs.LG');
  assert.deepEqual(ml.ids, { semanticScholar: '93000001', openAlex: 'A5900000001', orcid: '0000-0001-5555-0001' });
  assert.equal(ml.hIndex.value, 30);
});

test('each namesake paper is its own profile; a shared id that would join two S2 people is not attached', async () => {
  const profiles = await Promise.all(papers.map((p) => profileListing(p.record.id)));
  const distinct = new Set(profiles.map((p) => p.id));
  assert.equal(distinct.size, 4, 'ML (two papers), chemistry, yoga, medical imaging');
  const chemistry = profiles[2]!;
  assert.equal(chemistry.ids.semanticScholar, '93000002');
  assert.equal(chemistry.ids.orcid, null, 'the ORCID already belongs to another S2 author');
  assert.equal(chemistry.ids.openAlex, 'A5900000003');
  const yoga = profiles[3]!;
  assert.equal(yoga.verified, false);
  assert.deepEqual(yoga.paperList.papers.map((p) => p.id), ['2606.90004']);
  const medical = profiles[4]!;
  assert.deepEqual([medical.verified, medical.ids.openAlex, medical.ids.semanticScholar], [true, 'A5900000005', null]);
  const rows = await ctx.store.db.selectFrom('authors').select('id').where('name', '=', NAME).execute();
  assert.equal(rows.length, 4);
});
