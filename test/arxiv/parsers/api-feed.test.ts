import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiFeed } from '../../../src/arxiv/api-feed.ts';
import { ArxivApiError } from '../../../src/arxiv/errors.ts';
import { paperRecordSchema } from '../../../src/arxiv/paper-schema.ts';
import { listFiles, recordedExchange, sharedFixture } from './fixtures.ts';

const PAGES = ['arxiv_raw_0.xml', 'arxiv_raw_100.xml', 'arxiv_raw_200.xml', 'arxiv_raw_300.xml'];

test('four consecutive real API pages give 100 valid records each, with their paging numbers', () => {
  const seen = new Set<string>();
  PAGES.forEach((file, index) => {
    const page = parseApiFeed(sharedFixture(`arxiv-api/${file}`));
    assert.equal(page.totalResults, 566020);
    assert.equal(page.startIndex, index * 100);
    assert.equal(page.itemsPerPage, 100);
    assert.equal(page.records.length, 100);
    for (const record of page.records) {
      assert.doesNotThrow(() => paperRecordSchema.parse(record), `${record.id} is a valid PaperRecord`);
      assert.equal(record.license, null, 'the API has no license field');
      assert.ok(record.version >= 1);
      assert.ok(record.published <= record.updated, `${record.id}: v1 is not later than this version`);
      assert.equal(record.versions, undefined, 'the API lists no version history');
      seen.add(`${record.id}v${record.version}`);
    }
  });
  assert.equal(seen.size, 400, 'no entry repeats across the pages');
});

test('a known entry keeps its authors in order, each with zero or more affiliations, and its comment and primary category', () => {
  const page = parseApiFeed(sharedFixture('arxiv-api/arxiv_raw_0.xml'));
  const record = page.records.find((r) => r.id === '2512.13576');
  assert.ok(record);
  assert.equal(record.version, 1);
  assert.equal(record.title, 'Reproducing and Dissecting Denoising Language Models for Speech Recognition');
  const rwth = 'Machine Learning and Human Language Technology, RWTH Aachen University';
  assert.deepEqual(record.authors, [
    { name: 'Dorian Koch', affiliations: [rwth] },
    { name: 'Albert Zeyer', affiliations: [rwth, 'AppTek'] },
    { name: 'Nick Rossenbach', affiliations: [rwth, 'AppTek'] },
    { name: 'Ralf Schlüter', affiliations: [rwth, 'AppTek'] },
    { name: 'Hermann Ney', affiliations: [rwth, 'AppTek'] },
  ]);
  assert.equal(record.comment, 'Equal contribution of first two authors');
  assert.deepEqual(record.categories, ['cs.NE']);
  assert.equal(record.journalRef, null);
  assert.equal(record.doi, null);
  assert.equal(record.published, '2025-12-15T17:33:22Z');
  assert.equal(record.updated, '2025-12-15T17:33:22Z');

  const first = page.records[0]!;
  assert.equal(first.id, '2512.13690');
  assert.deepEqual(first.categories, ['cs.CV', 'cs.AI', 'cs.GR', 'cs.LG']);
  assert.deepEqual(first.authors.map((a) => a.name), ['Susung Hong', 'Chongjian Ge', 'Zhifei Zhang', 'Jui-Hsien Wang']);
  assert.ok(first.authors.every((a) => a.affiliations.length === 0));
});

test('journal reference and DOI come from arxiv:journal_ref and arxiv:doi', () => {
  const record = parseApiFeed(sharedFixture('arxiv-api/arxiv_raw_100.xml')).records.find((r) => r.id === '2512.13410');
  assert.ok(record);
  assert.equal(record.journalRef, 'IEEE Transactions on Neural Networks and Learning Systems (Volume: 36, Issue: 5, May 2025, Pages: 8307 - 8316)');
  assert.equal(record.doi, '10.1109/TNNLS.2024.3420227');
  assert.equal(record.comment, 'Accepted to the IEEE Transactions on Neural Networks and Learning Systems (TNNLS)');
  assert.deepEqual(record.authors.map((a) => a.name), ['Vítor M. Hanriot', 'Luiz C. B. Torres', 'Antônio P. Braga']);
});

test('the primary category comes first, then the others in feed order, without duplicates', () => {
  const xml = sharedFixture('arxiv-api/arxiv_raw_0.xml').replace(
    /(<id>http:\/\/arxiv\.org\/abs\/2512\.13690v1<\/id>[\s\S]*?)<arxiv:primary_category term="cs.CV"\/>/,
    '$1<arxiv:primary_category term="cs.LG"/>',
  );
  const record = parseApiFeed(xml).records[0]!;
  assert.deepEqual(record.categories, ['cs.LG', 'cs.CV', 'cs.AI', 'cs.GR']);
});

test('an explicit version keeps its number; published is v1 and updated this version', () => {
  const page = parseApiFeed(sharedFixture('arxiv-api/edge-cases/id_list_1111.2011v2.xml'));
  assert.equal(page.records.length, 1);
  const record = page.records[0]!;
  assert.equal(record.id, '1111.2011');
  assert.equal(record.version, 2);
  assert.equal(record.published, '2011-11-08T18:48:36Z');
  assert.equal(record.updated, '2012-04-02T12:38:54Z');
  assert.equal(record.doi, '10.1103/PhysRevB.85.115117');
  assert.equal(record.comment, '8 pages, 3 figures. Published version');
  assert.equal(record.title, 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large\n  Connectivity Limit', 'the hard line break is kept');
  assert.ok(record.abstract.startsWith('Theoretical description of anisotropic systems, such as layered\nsuperconductors'), 'only the ends are trimmed');
  assert.ok(record.abstract.endsWith('describing a single node.'));

  const versioned = parseApiFeed(recordedExchange('arxiv-api/edge-cases/id_2104.12255v1_s0_m100_6ae69987ffe1.json').body).records[0]!;
  assert.equal(versioned.id, '2104.12255');
  assert.equal(versioned.version, 1);
  assert.equal(versioned.title, '0', 'a numeric-looking title stays text');
});

test('old-style ids are split into archive/number and version', () => {
  const expected: Record<string, string> = {
    'id_astro-ph_0601001_s0_m100_3150dca9dc76.json': 'astro-ph/0601001',
    'id_hep-ex_0406020v1_s0_m100_84b15d66c0ce.json': 'hep-ex/0406020',
    'id_quant-ph_0201082v1_s0_m100_86989fe779ef.json': 'quant-ph/0201082',
  };
  for (const [file, id] of Object.entries(expected)) {
    const [record] = parseApiFeed(recordedExchange(`arxiv-api/edge-cases/${file}`).body).records;
    assert.equal(record?.id, id);
    assert.equal(record?.version, 1);
  }
  const [astro] = parseApiFeed(recordedExchange('arxiv-api/edge-cases/id_astro-ph_0601001_s0_m100_3150dca9dc76.json').body).records;
  assert.deepEqual(astro?.authors, [
    { name: 'Andrew Gould', affiliations: ['Ohio State'] },
    { name: 'Susan Dorsher', affiliations: ['Ohio State'] },
    { name: 'B. Scott Gaudi', affiliations: ['CfA'] },
    { name: 'Andrzej Udalski', affiliations: ['Warsaw University Observatory'] },
  ]);
  assert.equal(astro?.journalRef, 'ActaAstron.56:1-50,2006');
  assert.deepEqual(astro?.categories, ['astro-ph']);
  assert.match(astro!.abstract, /Gould & Morgan \(2003\)/, 'entities are decoded once');
  assert.match(astro!.abstract, /V_max<17\.5/);
});

test('an empty result is a valid page with no records', () => {
  for (const file of ['id_0000.0000_s0_m100_8b51d9633a68.json', 'id_0808.05394_s0_m100_7b0c7d0a7cdd.json']) {
    const exchange = recordedExchange(`arxiv-api/edge-cases/${file}`);
    assert.equal(exchange.status, 200);
    assert.deepEqual(parseApiFeed(exchange.body), { totalResults: 0, startIndex: 0, itemsPerPage: 100, records: [] });
  }
});

test('the API error entry (sent with HTTP 400) throws ArxivApiError carrying its code and message', () => {
  const exchange = recordedExchange('arxiv-api/edge-cases/id_abc_s0_m100_b79c8dcf6bc3.json');
  assert.equal(exchange.status, 400);
  assert.throws(() => parseApiFeed(exchange.body), (error: unknown) => {
    assert.ok(error instanceof ArxivApiError);
    assert.equal(error.source, 'api');
    assert.equal(error.code, 'incorrect_id_format_for_abc');
    assert.equal(error.detail, 'incorrect id format for abc');
    assert.match(error.message, /incorrect id format for abc/);
    return true;
  });
});

test('recorded paging: each page reports the start and size that were asked for, and overlapping pages agree', () => {
  const pages = new Map<string, ReturnType<typeof parseApiFeed>>();
  for (const file of listFiles('arxiv-api/edge-cases', '.json').filter((f) => f.includes('q_testing'))) {
    const exchange = recordedExchange(file);
    const url = new URL(exchange.url);
    const page = parseApiFeed(exchange.body);
    // The API's defaults are start=0 and max_results=10 (one recording relies on them).
    const start = Number(url.searchParams.get('start') ?? 0);
    const size = Number(url.searchParams.get('max_results') ?? 10);
    assert.equal(page.startIndex, start, file);
    assert.equal(page.itemsPerPage, size, file);
    assert.equal(page.records.length, size, file);
    assert.equal(page.totalResults, 214881, file);
    pages.set(`${start}/${size}`, page);
  }
  const ids = (key: string) => pages.get(key)!.records.map((r) => `${r.id}v${r.version}`);
  assert.deepEqual(ids('0/15').slice(5), ids('5/10'));
  assert.deepEqual(ids('0/10').slice(0, 10), ids('0/100').slice(0, 10));
  assert.deepEqual(ids('10/10'), ids('0/100').slice(10, 20));
});

test('every recorded API exchange parses to valid records, or to ArxivApiError when the API said 400', () => {
  let records = 0;
  for (const file of listFiles('arxiv-api/edge-cases', '.json')) {
    const exchange = recordedExchange(file);
    if (exchange.status === 400) {
      assert.throws(() => parseApiFeed(exchange.body), ArxivApiError, file);
      continue;
    }
    const page = parseApiFeed(exchange.body);
    for (const record of page.records) paperRecordSchema.parse(record);
    records += page.records.length;
  }
  for (const file of listFiles('arxiv-api/edge-cases', '.xml')) {
    const page = parseApiFeed(sharedFixture(file));
    assert.ok(page.records.length > 0, file);
    for (const record of page.records) paperRecordSchema.parse(record);
    records += page.records.length;
  }
  assert.equal(records, 256);
});
