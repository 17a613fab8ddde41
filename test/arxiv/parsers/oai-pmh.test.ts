import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOaiListRecords } from '../../../src/arxiv/oai-pmh.ts';
import { ArxivApiError, ArxivFormatError } from '../../../src/arxiv/errors.ts';
import { paperRecordSchema } from '../../../src/arxiv/paper-schema.ts';
import { listFiles, ownFixture, sharedFixture } from './fixtures.ts';

test('an arXivRaw ListRecords page gives records, deleted ids and the resumption token', () => {
  const page = parseOaiListRecords(ownFixture('oai-arxivraw-list-records-page-1.xml'));
  assert.deepEqual(page.records.map((r) => `${r.id}v${r.version}`), ['2511.08812v3', '2606.14721v1', 'cs/0112017v2']);
  assert.deepEqual(page.deleted, ['2606.00417']);
  assert.deepEqual(page.resumptionToken, { token: '7131906|1001', completeListSize: 1174, cursor: 0 });
  for (const record of page.records) paperRecordSchema.parse(record);
});

test('arXivRaw: every version with its date; the latest is the record, v1 is published', () => {
  const [record] = parseOaiListRecords(ownFixture('oai-arxivraw-list-records-page-1.xml')).records;
  assert.ok(record);
  assert.equal(record.version, 3);
  assert.deepEqual(record.versions, [
    { version: 1, submitted: '2025-11-11T17:02:09Z' },
    { version: 2, submitted: '2026-02-02T10:45:31Z' },
    { version: 3, submitted: '2026-06-16T08:00:14Z' },
  ]);
  assert.equal(record.published, '2025-11-11T17:02:09Z');
  assert.equal(record.updated, '2026-06-16T08:00:14Z');
  assert.deepEqual(record.categories, ['cs.LG', 'cs.AI', 'stat.ML'], 'the first category is the primary');
  assert.equal(record.title, 'Scaling Laws for Offline Reinforcement Learning\n  from Human Feedback');
  assert.equal(record.abstract, 'We fit power laws to the reward-model error of offline RLHF as a function of\ndata $D$ and parameters $N$, finding $L(N, D) \\propto N^{-0.34} D^{-0.28}$.');
  assert.equal(record.comment, 'v3: camera-ready; 31 pages, 12 figures. Code:\n  https://github.com/example/rlhf-scaling');
  assert.equal(record.journalRef, 'Transactions on Machine Learning Research, 2026');
  assert.equal(record.doi, '10.48550/tmlr.2026.0412');
  assert.equal(record.license, 'http://creativecommons.org/licenses/by-sa/4.0/');
});

test('arXivRaw: the one-string author list is split in order, with numbered affiliations resolved', () => {
  const [multi, single, old] = parseOaiListRecords(ownFixture('oai-arxivraw-list-records-page-1.xml')).records;
  assert.deepEqual(multi!.authors, [
    { name: 'Lena Fischer', affiliations: ['ETH Zurich'] },
    { name: 'Omar Haddad', affiliations: ['ETH Zurich', 'Tsinghua University'] },
    { name: 'Wei Zhang', affiliations: ['Tsinghua University'] },
  ]);
  assert.deepEqual(single!.authors.map((a) => a.name), ['Ana Lima', 'Kenji Watanabe', 'Priya Raman']);
  assert.equal(single!.license, 'http://creativecommons.org/licenses/by/4.0/');
  assert.equal(single!.journalRef, null);
  assert.equal(single!.doi, null);
  assert.equal(old!.id, 'cs/0112017', 'old-style ids keep their archive');
  assert.equal(old!.published, '2001-12-14T18:40:03Z');
  assert.equal(old!.comment, null);
  assert.equal(old!.license, null);
});

test('the last page carries an empty resumptionToken, which means no next page', () => {
  const page = parseOaiListRecords(ownFixture('oai-arxivraw-list-records-last-page.xml'));
  assert.equal(page.resumptionToken, null);
  assert.deepEqual(page.records.map((r) => r.id), ['2606.15002']);
  assert.deepEqual(page.records[0]!.authors.map((a) => a.name), ["Maria Gonz\\'alez", "Tom\\'as Ruiz"]);
  assert.deepEqual(page.records[0]!.categories, ['q-bio.BM', 'cs.LG', 'stat.ML']);
});

test('noRecordsMatch is an empty range, not a failure', () => {
  assert.deepEqual(parseOaiListRecords(ownFixture('oai-no-records-match.xml')), { records: [], deleted: [], resumptionToken: null });
});

test('other OAI-PMH errors throw ArxivApiError with the code and the service message', () => {
  assert.throws(() => parseOaiListRecords(ownFixture('oai-bad-resumption-token.xml')), (error: unknown) => {
    assert.ok(error instanceof ArxivApiError);
    assert.equal(error.source, 'oai');
    assert.equal(error.code, 'badResumptionToken');
    assert.equal(error.detail, 'The value of the resumptionToken argument is invalid or expired.');
    return true;
  });
  const recorded: Record<string, RegExp> = {
    'oai-pmh/inspire-next/1305.0014v1.xml': /must not include the 'v1' at the end of the identifier/,
    'oai-pmh/inspire-next/1305.9999.xml': /does not correspond to an item in this repository/,
    'oai-pmh/inspire-next/is-malformed.xml': /Malformed identifier/,
  };
  for (const [file, message] of Object.entries(recorded)) {
    assert.throws(() => parseOaiListRecords(sharedFixture(file)), (error: unknown) => {
      assert.ok(error instanceof ArxivApiError, file);
      assert.equal(error.code, 'idDoesNotExist');
      assert.match(error.detail, message);
      return true;
    });
  }
  for (const code of ['badArgument', 'cannotDisseminateFormat', 'badVerb']) {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-06-18T10:00:00Z</responseDate><request>http://export.arxiv.org/oai2</request><error code="${code}">Problem with ${code}</error></OAI-PMH>`;
    assert.throws(() => parseOaiListRecords(xml), (error: unknown) => error instanceof ArxivApiError && error.code === code);
  }
});

test('arXiv format (fallback): authors from keyname/forenames with affiliations, created/updated dates, version 1', () => {
  const [record] = parseOaiListRecords(sharedFixture('oai-pmh/inspire-next/1305.0014.xml')).records;
  assert.ok(record);
  assert.equal(record.id, '1305.0014');
  assert.equal(record.version, 1);
  assert.equal(record.versions, undefined, 'the arXiv format has no version history');
  assert.deepEqual(record.authors, [
    { name: 'S. Gardner', affiliations: [] },
    { name: 'B. Plaster', affiliations: [] },
  ]);
  assert.equal(record.title, 'Framework for maximum likelihood analysis of neutron beta decay observables to resolve the limits of the V-A law');
  assert.deepEqual(record.categories, ['hep-ph', 'hep-lat', 'nucl-ex', 'nucl-th']);
  assert.equal(record.published, '2013-04-30T00:00:00Z');
  assert.equal(record.updated, '2013-06-28T00:00:00Z');
  assert.equal(record.comment, 'as-published version, 16 pages, 2 figures');
  assert.equal(record.journalRef, 'Phys. Rev. C 87, 065504 (2013)');
  assert.equal(record.doi, '10.1103/PhysRevC.87.065504');
  assert.equal(record.license, 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/');
  assert.ok(record.abstract.startsWith('We assess the ability'));

  const [oldStyle] = parseOaiListRecords(sharedFixture('oai-pmh/inspire-next/oai_arxiv.xml')).records;
  assert.equal(oldStyle!.id, 'physics/0112006');
  assert.equal(oldStyle!.updated, oldStyle!.published, 'no <updated>: only one version');
  assert.deepEqual(oldStyle!.authors, [
    { name: 'G. Fiorentini', affiliations: ['INFN, Sezione di Ferrara, Ferrara, Italy'] },
    { name: 'L. Okun', affiliations: ['ITEP, Moscow, Russia'] },
    { name: 'M. Vysotsky', affiliations: ['ITEP, Moscow, Russia'] },
  ]);
});

test('arXiv-format ListRecords and GetRecord recordings all parse to valid records', () => {
  const listed = parseOaiListRecords(sharedFixture('oai-pmh/hepcrawl/functional-arxiv/arxiv-physics-hep-ex.xml'));
  assert.equal(listed.records.length, 3);
  assert.equal(listed.resumptionToken, null);
  assert.equal(listed.records[0]!.authors.length, 13);
  assert.equal(listed.records[0]!.authors[12]!.name, 'Mani Tripathi');

  const many = parseOaiListRecords(sharedFixture('oai-pmh/hepcrawl/unit-responses-arxiv/sample_arxiv_record.xml'));
  assert.equal(many.records.length, 12);
  const repeatedKeyname = many.records.find((r) => r.id === '1606.07066');
  assert.deepEqual(repeatedKeyname?.authors[0], { name: 'Curtis J. Saxton Walton', affiliations: ['Technion', 'DESY'] });

  let total = 0;
  for (const file of listFiles('oai-pmh', '.xml')) {
    if (file.includes('atomiklabs') || /1305\.0014v1|1305\.9999|is-malformed/.test(file)) continue;
    const page = parseOaiListRecords(sharedFixture(file));
    assert.ok(page.records.length > 0, file);
    for (const record of page.records) paperRecordSchema.parse(record);
    total += page.records.length;
  }
  assert.equal(total, 34);
});

test('oai_dc is refused with a clear ArxivFormatError rather than half-parsed', () => {
  const xml = sharedFixture('oai-pmh/atomiklabs-aws-iac/test_arxiv_data.xml');
  assert.match(xml, /<resumptionToken cursor="0" completeListSize="1162">6960524\|1001<\/resumptionToken>/);
  assert.throws(() => parseOaiListRecords(xml), (error: unknown) => {
    assert.ok(error instanceof ArxivFormatError);
    assert.equal(error.source, 'oai');
    assert.match(error.message, /unsupported metadata format oai_dc/);
    assert.match(error.message, /metadataPrefix=arXivRaw/);
    return true;
  });
});

test('a deleted record in GetRecord is reported as deleted', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-06-18T10:00:00Z</responseDate>
<request verb="GetRecord" identifier="oai:arXiv.org:hep-th/9901001" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>
<GetRecord><record><header status="deleted"><identifier>oai:arXiv.org:hep-th/9901001</identifier><datestamp>2026-06-17</datestamp></header></record></GetRecord>
</OAI-PMH>`;
  assert.deepEqual(parseOaiListRecords(xml), { records: [], deleted: ['hep-th/9901001'], resumptionToken: null });
});
