import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { backfillRange } from '../../src/ingest/ingest-backfill.ts';
import { ingestIds } from '../../src/ingest/ingest-ids.ts';
import { parseApiFeed } from '../../src/arxiv/api-feed.ts';
import { REPO_ROOT } from '../helpers/context.ts';
import { API_PAGES, recordedApiEntries, startReplayServer } from '../helpers/arxiv-replay-server.ts';
import { contextFor } from '../helpers/ingest.ts';

const RECORDED_CATEGORIES = 'cs.AI,cs.LG,cs.CL,cs.CV,cs.NE,cs.SE,cs.CR,cs.DC';
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/arxiv');

test('an API backfill pages through all recorded results and stores exactly their papers and versions', async () => {
  const expected = API_PAGES.flatMap((file) => parseApiFeed(fs.readFileSync(file, 'utf8')).records);
  const server = await startReplayServer({ apiEntries: recordedApiEntries() });
  const ctx = await contextFor(server, { PAPERSIFT_CATEGORIES: RECORDED_CATEGORIES, ARXIV_API_PAGE_SIZE: '100' });
  try {
    const totals = await backfillRange(ctx, ctx.arxiv, { from: '2025-12-01', to: '2025-12-31', categories: RECORDED_CATEGORIES.split(','), via: 'api' });
    assert.equal(server.requests.length, 4, 'four pages of 100');
    assert.deepEqual(server.requests.map((u) => u.searchParams.get('start')), ['0', '100', '200', '300']);
    assert.match(server.requests[0]!.searchParams.get('search_query')!, /submittedDate:\[202512010000 TO 202512312359\]/);
    assert.equal(totals.fetched, 400);
    const unique = new Map(expected.map((r) => [r.id, r]));
    assert.equal(totals.inserted, unique.size);
    const stored = await ctx.store.db.selectFrom('papers').select(['id', 'latest_version', 'primary_category', 'doi', 'journal_ref']).orderBy('id').execute();
    assert.deepEqual(
      stored.map((p) => [p.id, p.latest_version, p.primary_category, p.doi, p.journal_ref]),
      [...unique.values()].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.version, r.categories[0], r.doi, r.journalRef]),
    );
    const codeLinks = await ctx.store.db.selectFrom('code_links').select(['url', 'found_in']).execute();
    assert.ok(codeLinks.some((l) => l.found_in === 'comment' && /github\.com|github\.io/.test(l.url)), 'code links found in comments');
    assert.ok(codeLinks.every((l) => /^https?:\/\//.test(l.url)));
    const affiliated = await ctx.store.db.selectFrom('paper_authors').select('affiliations').where('affiliations', '!=', '[]').execute();
    assert.ok(affiliated.length > 0, 'affiliations from the API are kept');
    const run = await ctx.store.db.selectFrom('ingest_runs').selectAll().executeTakeFirstOrThrow();
    assert.equal(run.status, 'success');
    assert.equal(run.checkpoint, null);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('an OAI-PMH backfill follows resumption tokens, keeps every version and marks deleted papers withdrawn', async () => {
  const pages = ['oai-arxivraw-list-records-page-1.xml', 'oai-arxivraw-list-records-last-page.xml'].map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
  const server = await startReplayServer({ oaiPages: pages });
  const ctx = await contextFor(server, { PAPERSIFT_CATEGORIES: 'cs.LG' });
  try {
    // A deleted record can only be marked if it is stored: store it first as an ordinary paper.
    await ctx.store
      .db.insertInto('papers')
      .values({ id: '2606.00417', latest_version: 1, title: 't', abstract: 'a', comment: null, journal_ref: null, doi: null, license: null, primary_category: 'cs.LG', published_at: '2026-06-01', updated_at: '2026-06-01', first_announced_on: '2026-06-02', summary_error: null, stored_at: 'x', changed_at: 'x' })
      .execute();
    const totals = await backfillRange(ctx, ctx.arxiv, { from: '2025-01-01', to: '2026-06-30', categories: ['cs.LG'], via: 'oai' });
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[0]!.searchParams.get('set'), 'cs:cs:LG');
    assert.equal(server.requests[0]!.searchParams.get('metadataPrefix'), 'arXivRaw');
    assert.equal(server.requests[1]!.searchParams.get('resumptionToken'), '7131906|1001');
    assert.ok(totals.inserted > 0);
    const versions = await ctx.store.db.selectFrom('paper_versions').select(['version', 'submitted_at']).where('paper_id', '=', '2511.08812').orderBy('version').execute();
    assert.deepEqual(versions.map((v) => v.version), [1, 2, 3]);
    assert.equal(versions[0]!.submitted_at, '2025-11-11T17:02:09Z');
    const paper = await ctx.store.db.selectFrom('papers').select(['latest_version', 'published_at', 'license']).where('id', '=', '2511.08812').executeTakeFirstOrThrow();
    assert.deepEqual(paper, { latest_version: 3, published_at: '2025-11-11T17:02:09Z', license: 'http://creativecommons.org/licenses/by-sa/4.0/' });
    const announcements = await ctx.store.db.selectFrom('announcements').select(['announced_on', 'announce_type', 'version']).where('paper_id', '=', '2511.08812').orderBy('announced_on').execute();
    assert.deepEqual(announcements, [
      { announced_on: '2025-11-12', announce_type: 'new', version: 1 },
      { announced_on: '2026-06-17', announce_type: 'replace', version: 3 },
    ]);
    const deleted = await ctx.store.db.selectFrom('papers').select('withdrawn').where('id', '=', '2606.00417').executeTakeFirstOrThrow();
    assert.equal(deleted.withdrawn, 1, 'marked, not deleted');
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('an expired resumption token restarts the set instead of failing the backfill', async () => {
  const first = fs.readFileSync(path.join(FIXTURES, 'oai-arxivraw-list-records-page-1.xml'), 'utf8');
  const last = fs.readFileSync(path.join(FIXTURES, 'oai-arxivraw-list-records-last-page.xml'), 'utf8');
  const server = await startReplayServer({ oaiPages: [first, last] });
  const ctx = await contextFor(server, { PAPERSIFT_CATEGORIES: 'cs.LG' });
  try {
    // A run interrupted with a token the server no longer knows.
    await ctx.store
      .db.insertInto('ingest_runs')
      .values({ source: 'oai-pmh', params: JSON.stringify({ from: '2025-01-01', to: '2026-06-30', categories: ['cs.LG'], via: 'oai' }), status: 'running', started_at: 'x', checkpoint: JSON.stringify({ setIndex: 0, resumptionToken: 'expired|1' }) })
      .execute();
    const totals = await backfillRange(ctx, ctx.arxiv, { from: '2025-01-01', to: '2026-06-30', categories: ['cs.LG'], via: 'oai' });
    assert.deepEqual(server.requests.map((u) => u.searchParams.get('resumptionToken')), ['expired|1', null, '7131906|1001']);
    assert.ok(totals.inserted > 0);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('ingest by ids stores what arXiv returns and reports ids it does not know', async () => {
  const pool = recordedApiEntries();
  const ids = [...pool.keys()].slice(0, 3);
  const server = await startReplayServer({ apiEntries: pool });
  const ctx = await contextFor(server);
  try {
    const report = await ingestIds(ctx, ctx.arxiv, [...ids, '2512.99999']);
    assert.equal(report.inserted, 3);
    assert.deepEqual(report.missing, ['2512.99999']);
    assert.equal(report.failed, 1);
    const announced = await ctx.store.db.selectFrom('announcements').select(['paper_id', 'announced_on']).execute();
    assert.equal(announced.length >= 3, true);
    for (const a of announced) assert.match(a.announced_on, /^2025-12-1[5-7]$/, 'dated on the calendar from the submission time');
  } finally {
    await ctx.close();
    await server.close();
  }
});
