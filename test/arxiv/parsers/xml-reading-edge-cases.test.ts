import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnnouncementFeed } from '../../../src/arxiv/announcement-feed.ts';
import { parseApiFeed } from '../../../src/arxiv/api-feed.ts';
import { parseOaiListRecords } from '../../../src/arxiv/oai-pmh.ts';
import { ArxivApiError, ArxivFormatError } from '../../../src/arxiv/errors.ts';
import { ownFixture, sharedFixture } from './fixtures.ts';

// Details of how the XML is read that the other tests do not pin down, kept as they were when the
// parsers moved to saxes (from the XML library they used before).

const API = () => sharedFixture('arxiv-api/arxiv_raw_0.xml');
const FIRST_TITLE = '<title>DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders</title>';
const FIRST_COMMENT = '<arxiv:comment>Project page: https://susunghong.github.io/DiffusionBrowser</arxiv:comment>';

function firstRecord(xml: string) {
  return parseApiFeed(xml).records[0]!;
}

function formatError(source: string, pattern: RegExp, line?: number) {
  return (error: unknown) => {
    assert.ok(error instanceof ArxivFormatError, `expected ArxivFormatError, got ${String(error)}`);
    assert.equal(error.source, source);
    assert.match(error.message, pattern);
    if (line !== undefined) assert.equal(error.line, line);
    return true;
  };
}

test('references: undeclared names and characters XML does not allow stay literal; others decode once', () => {
  const title = (inner: string) => firstRecord(API().replace(FIRST_TITLE, `<title>${inner}</title>`)).title;
  assert.equal(title('&custom; &nbsp;x'), '&custom; &nbsp;x');
  assert.equal(title('a&#0;b &#xFFFE; &#00000065;'), 'a&#0;b &#xFFFE; &#00000065;');
  assert.equal(title('&#x1F600; &#65;&#x42; &quot;&apos;'), '😀 AB "\'');
  assert.equal(title('&amp;amp; &amp;#65;'), '&amp; &#65;');
});

test('control characters and "]]>" in text are tolerated: the control character is dropped, "]]>" kept as text', () => {
  const record = firstRecord(API().replace(FIRST_TITLE, '<title>Form\ffeed [[x]]> y</title>'));
  assert.equal(record.title, 'Formfeed [[x]]> y');
});

test('a bare & is reported on its own line, also when no ";" follows it', () => {
  const xml = API();
  const lines = xml.split('\n');
  const titleLine = lines.findIndex((line) => line.includes(FIRST_TITLE)) + 1;
  assert.throws(() => parseApiFeed(xml.replace(FIRST_TITLE, '<title>Fish & chips</title>')), formatError('api', /char '&' is not expected/, titleLine));
  assert.throws(() => parseApiFeed('<feed>\n<entry>\n<title>Fish & chips</title>\n</entry>\n</feed>'), formatError('api', /line 3: char '&' is not expected/, 3));
});

test('a page cut inside an entry names the elements left open', () => {
  const xml = API();
  const cut = xml.slice(0, xml.indexOf('Video diffusion models') + 10);
  assert.throws(() => parseApiFeed(cut), formatError('api', /the document ends with <feed> > <entry> > <summary> still open/, cut.split('\n').length));
  const inTag = xml.slice(0, xml.indexOf('<category term="cs.AI"') + 18);
  assert.throws(() => parseApiFeed(inTag), formatError('api', /ends before its closing <\/feed> \(Attributes for 'category' have open quote, line \d+\)/));
});

test('entries of unusual shape give the same records and errors as the usual ones', () => {
  const base = firstRecord(API());
  // Attributes on text fields, CDATA, prefixed names, a namespaced term, repeated categories.
  const variant = API()
    .replace(FIRST_TITLE, '<atom:title xmlns:atom="http://www.w3.org/2005/Atom" type="text"><![CDATA[DiffusionBrowser: Interactive Diffusion Previews]]> via Multi-Branch Decoders</atom:title>')
    .replace('<arxiv:primary_category term="cs.CV"/>', '<arxiv:primary_category arxiv:term=" cs.CV "/><category term="cs.AI"/>')
    .replace(FIRST_COMMENT, '<arxiv:comment xml:lang="en">  </arxiv:comment>');
  assert.deepEqual(firstRecord(variant), { ...base, comment: null });

  const withAffiliations = API().replace('<name>Susung Hong</name>', '<name>Susung Hong</name><arxiv:affiliation> MIT </arxiv:affiliation><arxiv:affiliation/><arxiv:affiliation>MIT</arxiv:affiliation>');
  assert.deepEqual(firstRecord(withAffiliations).authors[0], { name: 'Susung Hong', affiliations: ['MIT'] });

  const problems: Array<[string, string, RegExp]> = [
    [FIRST_TITLE, `${FIRST_TITLE}${FIRST_TITLE}`, /<title> appears more than once in entry 1/],
    [FIRST_TITLE, '<title>A <b>bold</b> title</title>', /<title> contains child elements instead of text in entry 1/],
    ['<name>Chongjian Ge</name>', '<name>Chongjian Ge</name><name>Again</name>', /<author #2>\/<name> appears more than once in entry 1/],
    ['<name>Chongjian Ge</name>', '<email>cg@example.org</email>', /missing <author #2>\/<name> in entry 1/],
    ['<name>Chongjian Ge</name>', '', /<author #2> is not an element with content in entry 1/],
    ['<arxiv:primary_category term="cs.CV"/>', '<arxiv:primary_category/>', /<primary_category> is empty in entry 1/],
    ['<category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>', '<category scheme="x"/>', /missing <category #2>\/@term in entry 1/],
    ['<published>2025-12-15T18:59:57Z</published>', '<published>2025-02-30T18:59:57Z</published>', /<published> is not a date \("2025-02-30T18:59:57Z"\) in entry 1/],
    ['<id>http://arxiv.org/abs/2512.13690v1</id>', '<id>http://arxiv.org/abs/2512.13690v0</id>', /<version> Too small: expected number to be >=1 in entry 1|version.*entry 1/],
  ];
  for (const [from, to, message] of problems) {
    assert.ok(API().includes(from), from);
    assert.throws(() => parseApiFeed(API().replace(from, to)), formatError('api', message), to);
  }
});

test('an error entry after a bad entry is still reported as the API error', () => {
  const xml = API();
  const at = xml.lastIndexOf('</feed>');
  const errorEntry = '<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_abc</id><title>Error</title><summary>incorrect id format for abc</summary></entry>\n';
  const broken = xml.replace('<id>http://arxiv.org/abs/2512.13690v1</id>', '');
  assert.throws(() => parseApiFeed(`${broken.slice(0, broken.lastIndexOf('</feed>'))}${errorEntry}</feed>`), (error: unknown) => error instanceof ArxivApiError && error.code === 'incorrect_id_format_for_abc');
  assert.throws(() => parseApiFeed(`${xml.slice(0, at)}${errorEntry.replace('incorrect_id_format_for_abc', 'bad%E0%A4%A')}</feed>`), (error: unknown) => error instanceof ArxivApiError && error.code === 'bad%E0%A4%A', 'a broken percent-escape keeps the raw code (it was an uncaught URIError)');
});

test('element names that would reach Object.prototype are refused; others that shadow its methods are kept apart', () => {
  for (const [source, parse, xml] of [
    ['api', parseApiFeed, API().replace(FIRST_TITLE, `${FIRST_TITLE}<constructor/>`)],
    ['rss', parseAnnouncementFeed, sharedFixture('rss/arxiv_rss.xml').replace('<title>Random Polytope Descriptors</title>', '<title>Random Polytope Descriptors</title><__proto__/>')],
    ['oai', parseOaiListRecords, ownFixture('oai-arxivraw-list-records-page-1.xml').replace('<ListRecords>', '<ListRecords><prototype/>')],
  ] as const) {
    assert.throws(() => parse(xml), formatError(source, /malformed XML: \[SECURITY\] Invalid name/));
  }
  assert.equal(firstRecord(API().replace(FIRST_TITLE, `${FIRST_TITLE}<toString>x</toString><hasOwnProperty/>`)).title, 'DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders');
});
