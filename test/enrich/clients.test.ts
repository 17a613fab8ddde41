import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isUnreachable } from '../../src/enrich/errors.ts';
import { parseOpenAlexEntity } from '../../src/enrich/openalex.ts';
import { HttpStatusError, NetworkError, RateLimitedError } from '../../src/http/errors.ts';
import { readCassette } from '../helpers/cassettes.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';
import { OPENALEX_FIXTURES, readJson, S2_FIXTURES, snapshotEnrichment, testSources } from './fixtures.ts';

let server: ScholarlyServer;
const cassettes = ['test_get_authors.yaml', 'test_get_authors_not_found_warning.yaml', 'test_get_author_papers.yaml'].flatMap((f) => readCassette(path.join(S2_FIXTURES, f)));

before(async () => {
  const data = snapshotEnrichment();
  server = await startScholarlyServer({
    ...data,
    recorded: cassettes,
    s2Papers: { ...data.s2Papers, '1901.00001': readJson(path.join(S2_FIXTURES, 'PaperWithNullValues.json')) },
    s2Authors: {
      ...data.s2Authors,
      '2262347': readJson(path.join(S2_FIXTURES, 'Author.json')),
      // JSON carries NUL and other control characters as \u escapes; PostgreSQL refuses NUL in text.
      '91000099': { authorId: '91000099', name: 'Ada\u0000 Lovelace\u0007', affiliations: ['Analytical\u001b Engines\uffff', 'Tab\tkept'], hIndex: 3 },
    },
  });
});
after(() => server.close());

test('S2 author batch: a recorded real exchange is parsed, one POST with the ids, the key sent as x-api-key', async () => {
  const { sources } = testSources(server, { SEMANTIC_SCHOLAR_API_KEY: 'test-key' });
  const before = server.requests.length;
  const authors = await sources.semanticScholar.lookupAuthors(['3234559', '1726629', '1711844']);
  assert.deepEqual([...authors.values()].map((a) => a?.name), ['E. Dijkstra', 'D. Parnas', 'I. Sommerville']);
  const sent = server.requests.slice(before);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.method, 'POST');
  assert.equal(sent[0]!.headers['x-api-key'], 'test-key');
  assert.deepEqual(JSON.parse(sent[0]!.body), { ids: ['3234559', '1726629', '1711844'] });
  // Fields the recording did not ask for are absent, not invented.
  assert.equal(authors.get('3234559')!.hIndex, null);
});

test('S2 author batch: unknown ids come back as null in place (recorded not-found answer)', async () => {
  const { sources } = testSources(server);
  const authors = await sources.semanticScholar.lookupAuthors(['0', '3234559', '1726629', '1711844']);
  assert.equal(authors.get('0'), null);
  assert.equal(authors.get('1711844')!.name, 'I. Sommerville');
});

test('S2 author records: hIndex, counts and affiliations from Author.json; a partial record (null affiliations, no hIndex) parses to nulls', async () => {
  const { sources } = testSources(server);
  const authors = await sources.semanticScholar.lookupAuthors(['2262347', '91000004', '91000005']);
  const turing = authors.get('2262347')!;
  assert.deepEqual([turing.name, turing.hIndex, turing.paperCount, turing.citationCount, turing.affiliations], ['A. Turing', 23, 60, 12415, []]);
  const partial = authors.get('91000004')!;
  assert.deepEqual([partial.hIndex, partial.affiliations, partial.orcid, partial.paperCount], [null, [], null, 310]);
  assert.equal(authors.get('91000005')!.orcid, '0000-0002-7363-2610');
});

test('S2 author records: NUL and other control characters sent as JSON escapes are dropped from every string', async () => {
  const { sources } = testSources(server);
  const author = (await sources.semanticScholar.lookupAuthors(['91000099'])).get('91000099')!;
  assert.equal(author.name, 'Ada Lovelace');
  assert.deepEqual(author.affiliations, ['Analytical Engines', 'Tab\tkept']);
  assert.equal(author.hIndex, 3);
});

test('S2 paper batch: ARXIV: ids, at most 500 per request, null for unknown papers, null authors read as none', async () => {
  const { sources } = testSources(server);
  const ids = ['2606.15867', '1901.00001', ...Array.from({ length: 600 }, (_, i) => `2601.${String(i).padStart(5, '0')}`)];
  const before = server.requests.length;
  const papers = await sources.semanticScholar.lookupPapers(ids);
  const sent = server.requests.slice(before);
  assert.deepEqual(sent.map((r) => (JSON.parse(r.body) as { ids: string[] }).ids.length), [500, 102]);
  assert.equal((JSON.parse(sent[0]!.body) as { ids: string[] }).ids[0], 'ARXIV:2606.15867');
  assert.equal(papers.size, ids.length);
  assert.equal(papers.get('2606.15867')!.citationCount, 3);
  assert.equal(papers.get('2606.15867')!.authors[4]!.name, 'Trung-Nghia Le');
  assert.deepEqual(papers.get('1901.00001')!.authors, [], 'PaperWithNullValues: authors null');
  assert.equal(papers.get('2601.00007'), null);
});

test('S2 author papers: follows the recorded pages via `next`; an unknown author is a 404 and comes back as null', async () => {
  const { sources } = testSources(server);
  const recordedPages = cassettes.filter((c) => c.uri.includes('/author/1723755/papers'));
  const expected = recordedPages.reduce((n, c) => n + (JSON.parse(c.body) as { data: unknown[] }).data.length, 0);
  const papers = await sources.semanticScholar.authorPapers('1723755');
  assert.ok(papers && papers.length === expected && expected > 100, `${papers?.length} papers over ${recordedPages.length} pages`);
  assert.equal(await sources.semanticScholar.authorPapers('404404'), null);
});

test('429 is retried with exponential backoff, then succeeds; retries exhausted → RateLimitedError, classed unreachable', async () => {
  const { sources, waits } = testSources(server, { ENRICH_MAX_RETRIES: '2' });
  server.queueFault('s2', { status: 429 });
  server.queueFault('s2', { status: 429 });
  const authors = await sources.semanticScholar.lookupAuthors(['91000005']);
  assert.equal(authors.get('91000005')!.hIndex, 21);
  // Full jitter with random() = 0.5: half of base·2^i.
  assert.deepEqual(waits, [500, 1000]);

  for (let i = 0; i < 3; i += 1) server.queueFault('s2', { status: 429 });
  await assert.rejects(sources.semanticScholar.lookupAuthors(['91000005']), (error: unknown) => {
    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.attempts, 3);
    assert.match(error.message, /^POST /);
    assert.ok(isUnreachable(error));
    return true;
  });
});

test('a Retry-After from the service is waited out exactly', async () => {
  const { sources } = testSources(server);
  server.queueFault('openalex', { status: 429, retryAfter: '1' });
  const started = Date.now();
  const works = await sources.openAlex.lookupWorks(['2606.15867']);
  assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
  assert.equal(works.get('2606.15867')!.id, 'W5000015867');
});

test('OpenAlex works by arXiv DOI: OR-filters of at most 50, authorships with institutions and ORCID, null when absent; mailto and key sent', async () => {
  const { sources } = testSources(server, { OPENALEX_MAILTO: 'team@example.org', OPENALEX_API_KEY: 'oa-key' });
  const ids = ['2606.15867', ...Array.from({ length: 60 }, (_, i) => `2601.${String(i).padStart(5, '0')}`)];
  const before = server.requests.length;
  const works = await sources.openAlex.lookupWorks(ids);
  const sent = server.requests.slice(before);
  assert.equal(sent.length, 2);
  assert.match(sent[0]!.url.searchParams.get('filter')!, /^doi:10\.48550\/arxiv\.2606\.15867\|/);
  assert.equal(sent[0]!.url.searchParams.get('mailto'), 'team@example.org');
  assert.equal(sent[0]!.url.searchParams.get('api_key'), 'oa-key');
  const work = works.get('2606.15867')!;
  const le = work.authorships.find((a) => a.name === 'Trung-Nghia Le')!;
  assert.deepEqual([le.authorId, le.orcid, le.institutions.map((i) => i.name)], ['A5000000005', '0000-0002-7363-2610', ['University of Science Ho Chi Minh City', 'Vietnam National University Ho Chi Minh City']]);
  assert.equal(works.get('2601.00003'), null);
});

test('OpenAlex recorded entities: author h-index, works, citations and ORCID; a deleted author; a work with institutions', () => {
  const priem = parseOpenAlexEntity('author', readJson(path.join(OPENALEX_FIXTURES, 'A5023888391.json')));
  assert.deepEqual([priem.id, priem.name, priem.hIndex, priem.worksCount, priem.citedByCount, priem.orcid], ['A5023888391', 'Jason Priem', 17, 62, 3890, '0000-0001-6187-6610']);
  assert.deepEqual(priem.institutions, ['OurResearch']);
  const deleted = parseOpenAlexEntity('author', readJson(path.join(OPENALEX_FIXTURES, 'A5317838346.json')));
  assert.deepEqual([deleted.hIndex, deleted.worksCount, deleted.orcid, deleted.institutions], [0, 0, null, []]);
  const work = parseOpenAlexEntity('work', readJson(path.join(OPENALEX_FIXTURES, 'W2741809807.json')));
  assert.equal(work.authorships[0]!.name, 'Heather Piwowar');
  assert.deepEqual(work.authorships[0]!.institutions.map((i) => i.name), ['Impact Technology Development (United States)']);
  assert.throws(() => parseOpenAlexEntity('author', readJson(path.join(OPENALEX_FIXTURES, 'cardiac-imaging.json'))), /unexpected response/, 'a keyword is not an author');
});

test('an unreachable service fails with a NetworkError naming the redacted URL, classed unreachable; a 400 is not', async () => {
  const closed = { s2Url: 'http://127.0.0.1:9/graph/v1', openAlexUrl: 'http://127.0.0.1:9' } as ScholarlyServer;
  const { sources } = testSources(closed, { OPENALEX_MAILTO: 'team@example.org', ENRICH_MAX_RETRIES: '1' });
  await assert.rejects(sources.openAlex.lookupAuthors(['A1']), (error: unknown) => {
    assert.ok(error instanceof NetworkError && isUnreachable(error));
    assert.ok(!error.message.includes('team@example.org'), error.message);
    return true;
  });
  const { sources: live } = testSources(server);
  // The replay server answers 400 above 1,000 ids, as S2 does: the client must split.
  const before = server.requests.length;
  const many = await live.semanticScholar.lookupAuthors(Array.from({ length: 1001 }, (_, i) => `x${i}`));
  assert.equal(many.size, 1001);
  assert.equal(server.requests.length - before, 2);
  const bad = new HttpStatusError({ url: 'http://x', status: 400, attempts: 1, body: '', reason: 'not retryable' });
  assert.equal(isUnreachable(bad), false);
});
