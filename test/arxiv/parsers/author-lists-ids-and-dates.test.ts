import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAuthorList } from '../../../src/arxiv/authors.ts';
import { toCalendarDate, toIsoTimestamp } from '../../../src/arxiv/dates.ts';
import { splitArxivId } from '../../../src/arxiv/ids.ts';

const names = (raw: string) => splitAuthorList(raw).map((a) => a.name);

test('author lists split on commas and "and", in order', () => {
  assert.deepEqual(names('A. Author, B. Author and C. Author'), ['A. Author', 'B. Author', 'C. Author']);
  assert.deepEqual(names('A. Author, B. Author, and C. Author'), ['A. Author', 'B. Author', 'C. Author']);
  assert.deepEqual(names('Alexander Anderson and Sandra Andrews'), ['Alexander Anderson', 'Sandra Andrews'], 'names containing "and" are not split');
  assert.deepEqual(names('Single Author'), ['Single Author']);
  assert.deepEqual(names('  '), []);
  assert.deepEqual(names('C. Bal\\\'azs, E. L.\n  Berger'), ["C. Bal\\'azs", 'E. L. Berger'], 'TeX stays raw, hard wraps inside a name are collapsed');
  assert.deepEqual(names('John Smith, Jr., Ann Lee'), ['John Smith, Jr.', 'Ann Lee']);
});

test('affiliations in parentheses stay with their author, including arXiv\'s numbered form', () => {
  assert.deepEqual(splitAuthorList('A. Author (MIT), B. Author (Univ. of Tokyo, Japan) and C. Author'), [
    { name: 'A. Author', affiliations: ['MIT'] },
    { name: 'B. Author', affiliations: ['Univ. of Tokyo, Japan'] },
    { name: 'C. Author', affiliations: [] },
  ]);
  assert.deepEqual(splitAuthorList('C. Balazs (1), E. L. Berger (1), P. M. Nadolsky (1 and 2), C.-P. Yuan (2) ((1) Argonne National Laboratory, (2) Michigan State University)'), [
    { name: 'C. Balazs', affiliations: ['Argonne National Laboratory'] },
    { name: 'E. L. Berger', affiliations: ['Argonne National Laboratory'] },
    { name: 'P. M. Nadolsky', affiliations: ['Argonne National Laboratory', 'Michigan State University'] },
    { name: 'C.-P. Yuan', affiliations: ['Michigan State University'] },
  ]);
});

test('ids: abs URLs, OAI identifiers and arXiv: prefixes split into id and version, old style included', () => {
  assert.deepEqual(splitArxivId('http://arxiv.org/abs/2512.13690v1'), { id: '2512.13690', version: 1 });
  assert.deepEqual(splitArxivId('https://arxiv.org/abs/hep-th/9901001v2'), { id: 'hep-th/9901001', version: 2 });
  assert.deepEqual(splitArxivId('oai:arXiv.org:math.GT/0309136'), { id: 'math.GT/0309136', version: null });
  assert.deepEqual(splitArxivId('arXiv:2401.00001v12'), { id: '2401.00001', version: 12 });
  assert.deepEqual(splitArxivId('https://arxiv.org/abs/2403.01177'), { id: '2403.01177', version: null });
  assert.equal(splitArxivId('https://arxiv.org/api/errors#incorrect_id_format_for_abc'), null);
  assert.equal(splitArxivId('abc'), null);
});

test('dates from every source normalise to UTC ISO timestamps', () => {
  assert.equal(toIsoTimestamp('2025-12-15T18:59:57Z'), '2025-12-15T18:59:57Z');
  assert.equal(toIsoTimestamp('Mon, 2 Apr 2007 19:18:42 GMT'), '2007-04-02T19:18:42Z');
  assert.equal(toIsoTimestamp('2013-04-30'), '2013-04-30T00:00:00Z');
  assert.equal(toIsoTimestamp('2016-10-09T00:00:00-04:00'), '2016-10-09T04:00:00Z');
  assert.equal(toIsoTimestamp('2026-06-18T04:00:01.381275+00:00'), '2026-06-18T04:00:01Z');
  assert.equal(toIsoTimestamp('Thu, 24 Sep 2026 00:00:00 -0400'), '2026-09-24T04:00:00Z');
  assert.equal(toIsoTimestamp('2026-02-30'), null);
  assert.equal(toIsoTimestamp('yesterday'), null);
  assert.equal(toIsoTimestamp('12/03/2024'), null);
});

test('an announcement day is the calendar date in the timestamp\'s own offset', () => {
  assert.equal(toCalendarDate('Thu, 24 Sep 2026 00:00:00 -0400'), '2026-09-24');
  assert.equal(toCalendarDate('Fri, 2 Jan 2026 00:00:00 +0900'), '2026-01-02');
  assert.equal(toCalendarDate('2026-06-18T00:00:00-04:00'), '2026-06-18');
  assert.equal(toCalendarDate('not a date'), null);
});
