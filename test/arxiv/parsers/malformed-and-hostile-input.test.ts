import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnnouncementFeed } from '../../../src/arxiv/announcement-feed.ts';
import { parseApiFeed } from '../../../src/arxiv/api-feed.ts';
import { parseOaiListRecords } from '../../../src/arxiv/oai-pmh.ts';
import { ArxivFormatError } from '../../../src/arxiv/errors.ts';
import { ownFixture, sharedFixture } from './fixtures.ts';

const PARSERS = {
  api: { parse: parseApiFeed, xml: () => sharedFixture('arxiv-api/arxiv_raw_0.xml') },
  rss: { parse: parseAnnouncementFeed, xml: () => sharedFixture('rss/arxiv_rss.xml') },
  oai: { parse: parseOaiListRecords, xml: () => ownFixture('oai-arxivraw-list-records-page-1.xml') },
} as const;

function isFormatError(source: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ArxivFormatError, `expected ArxivFormatError, got ${String(error)}`);
    assert.equal(error.source, source);
    assert.match(error.message, pattern);
    return true;
  };
}

test('a real page cut in half throws ArxivFormatError naming the line, never partial data', () => {
  for (const [source, { parse, xml }] of Object.entries(PARSERS)) {
    const full = xml();
    const half = full.slice(0, Math.floor(full.length / 2));
    const lines = half.trimEnd().split('\n').length;
    assert.throws(() => parse(half), (error: unknown) => {
      isFormatError(source, /truncated or malformed XML at line \d+/)(error);
      assert.equal((error as ArxivFormatError).line, lines, `${source}: the line where the input ends`);
      assert.match((error as Error).message, /still open|ends before its closing <\/(feed|rss|OAI-PMH)>/);
      return true;
    });
  }
});

test('a page cut anywhere before its end is rejected', () => {
  for (const [source, { parse, xml }] of Object.entries(PARSERS)) {
    const full = xml();
    const end = full.trimEnd().length - 1;
    for (let i = 1; i <= 40; i += 1) {
      const cut = full.slice(0, Math.floor((end * i) / 41));
      assert.throws(() => parse(cut), ArxivFormatError, `${source} cut at ${cut.length}`);
    }
  }
});

test('malformed XML throws ArxivFormatError with the line of the problem', () => {
  const xml = sharedFixture('arxiv-api/arxiv_raw_0.xml');
  const lines = xml.split('\n');
  const titleLine = lines.findIndex((line) => line.includes('<title>LitePT: Lighter Yet Stronger Point Transformer</title>'));
  lines[titleLine] = '    <title>LitePT: Lighter Yet Stronger Point Transformer</titel>';
  assert.throws(() => parseApiFeed(lines.join('\n')), (error: unknown) => {
    isFormatError('api', new RegExp(`truncated or malformed XML at line ${titleLine + 1}: Expected closing tag 'title'`))(error);
    assert.equal((error as ArxivFormatError).line, titleLine + 1);
    return true;
  });
  assert.throws(() => parseApiFeed(xml.replace('Previews via Multi-Branch', 'Previews & Multi-Branch')), isFormatError('api', /line 12: char '&' is not expected/));
  assert.throws(() => parseAnnouncementFeed(sharedFixture('rss/arxiv_rss.xml').replace('<category>cs.AI</category>', '<category>cs.AI<category>')), isFormatError('rss', /malformed XML at line \d+/));
  assert.throws(() => parseOaiListRecords('<OAI-PMH><ListRecords></OAI-PMH>'), isFormatError('oai', /malformed XML at line 1/));
});

test('bodies that are not the expected XML are format errors, not empty results', () => {
  for (const [source, { parse }] of Object.entries(PARSERS)) {
    assert.throws(() => parse(''), isFormatError(source, /empty response/));
    assert.throws(() => parse('   \n'), isFormatError(source, /empty response/));
    assert.throws(() => parse('Rate exceeded.'), isFormatError(source, /malformed XML at line 1/));
    assert.throws(() => parse('<html><body><h1>503 Service Unavailable</h1></body></html>'), isFormatError(source, /root element, found <html>/));
  }
});

test('an entry missing a required field names the field and the entry', () => {
  const xml = sharedFixture('arxiv-api/arxiv_raw_0.xml');
  const entries = xml.split('<entry>');
  entries[3] = entries[3]!.replace(/<id>[^<]*<\/id>/, '');
  assert.throws(() => parseApiFeed(entries.join('<entry>')), isFormatError('api', /missing <id> in entry 3/));
  assert.throws(
    () => parseApiFeed(xml.replace('<name>Chongjian Ge</name>', '<name> </name>')),
    isFormatError('api', /<author #2>\/<name> is empty in entry 1/),
  );
  assert.throws(
    () => parseApiFeed(xml.replace('<published>2025-12-15T18:59:57Z</published>', '<published>yesterday</published>')),
    isFormatError('api', /<published> is not a date \("yesterday"\) in entry 1/),
  );
  assert.throws(
    () => parseApiFeed(xml.replace('<id>http://arxiv.org/abs/2512.13690v1</id>', '<id>http://arxiv.org/abs/2512.13690</id>')),
    isFormatError('api', /<id> has no version/),
  );
  assert.throws(
    () => parseApiFeed(xml.replace('<opensearch:totalResults>566020</opensearch:totalResults>', '')),
    isFormatError('api', /missing <totalResults> in the <feed>/),
  );
  const oai = ownFixture('oai-arxivraw-list-records-page-1.xml').replace('<version version="v2"><date>Mon, 2 Feb 2026 10:45:31 GMT</date>', '<version version="v2"><date>sometime in February</date>');
  assert.throws(() => parseOaiListRecords(oai), isFormatError('oai', /<version #2>\/<date> is not a date \("sometime in February"\) in <arXivRaw> of record 1 \(oai:arXiv\.org:2511\.08812\)/));
});

const HOSTILE_TITLE = '&lt;script&gt;alert("title")&lt;/script&gt; &amp;lt;b&amp;gt;';
const HOSTILE_ABSTRACT = 'Before <![CDATA[<script>alert("cdata")</script><img src=x onerror=alert(1)>]]> after.';

test('hostile markup escaped in a title or inside CDATA comes through as literal text', () => {
  const api = sharedFixture('arxiv-api/arxiv_raw_0.xml')
    .replace('<title>DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders</title>', `<title>${HOSTILE_TITLE}</title>`)
    .replace(/<summary>Video diffusion models[^<]*<\/summary>/, `<summary>${HOSTILE_ABSTRACT}</summary>`);
  const [record] = parseApiFeed(api).records;
  assert.equal(record!.title, '<script>alert("title")</script> &lt;b&gt;');
  assert.equal(record!.abstract, 'Before <script>alert("cdata")</script><img src=x onerror=alert(1)> after.');

  const rss = sharedFixture('rss/arxiv_rss.xml')
    .replace('<title>Random Polytope Descriptors</title>', `<title>${HOSTILE_TITLE}</title>`)
    .replace('Abstract: We introduce a class of random polytopes', `Abstract: <![CDATA[<script>alert("cdata")</script>]]> We introduce a class of random polytopes`);
  const replaced = parseAnnouncementFeed(rss).entries[3]!;
  assert.equal(replaced.title, '<script>alert("title")</script> &lt;b&gt;');
  assert.ok(replaced.abstract.startsWith('<script>alert("cdata")</script> We introduce'));

  const oai = ownFixture('oai-arxivraw-list-records-page-1.xml')
    .replace('<title>A Note on Perceptron Convergence</title>', `<title>${HOSTILE_TITLE}</title>`)
    .replace('We give a short proof', `<![CDATA[<script>alert("cdata")</script>]]> We give a short proof`);
  const old = parseOaiListRecords(oai).records[2]!;
  assert.equal(old.title, '<script>alert("title")</script> &lt;b&gt;');
  assert.ok(old.abstract.startsWith('<script>alert("cdata")</script> We give a short proof'));
});

test('characters XML forbids (NUL, other C0 controls, U+FFFF) are dropped from text and attributes, in every parser', () => {
  // Found by the property test: arXiv text with a stray control character reached the record as is.
  const api = sharedFixture('arxiv-api/arxiv_raw_0.xml')
    .replace('<title>DiffusionBrowser: Interactive', '<title>Diffusion\u0000Browser:\u0011 Interactive\uffff')
    .replace('<name>Susung Hong</name>', '<name>Susung\u0007 Hong</name>')
    .replace('<arxiv:primary_category term="cs.CV"/>', '<arxiv:primary_category term="cs\u001b.CV"/>')
    .replace('Video diffusion models have', 'Video\u0008 diffusion\u000b models have');
  const [record] = parseApiFeed(api).records;
  assert.equal(record!.title, 'DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders');
  assert.equal(record!.authors[0]!.name, 'Susung Hong');
  assert.equal(record!.categories[0], 'cs.CV');
  assert.ok(record!.abstract.startsWith('Video diffusion models have'));

  const rss = parseAnnouncementFeed(sharedFixture('rss/arxiv_rss.xml').replace('<title>Random Polytope Descriptors</title>', '<title>Random\u0000 Polytope\u0002 Descriptors</title>'));
  assert.equal(rss.entries[3]!.title, 'Random Polytope Descriptors');
  const oai = parseOaiListRecords(ownFixture('oai-arxivraw-list-records-page-1.xml').replace('<title>A Note on Perceptron Convergence</title>', '<title>A Note\u0000 on Perceptron\u001f Convergence</title>'));
  assert.equal(oai.records[2]!.title, 'A Note on Perceptron Convergence');
  // Tab, line feed and carriage return are allowed, and kept in the raw text.
  const spaced = parseApiFeed(sharedFixture('arxiv-api/arxiv_raw_0.xml').replace('<title>DiffusionBrowser: Interactive', '<title>DiffusionBrowser:\tInteractive'));
  assert.ok(spaced.records[0]!.title.startsWith('DiffusionBrowser:\tInteractive'));
});

test('markup as real child elements in a text field is a format error, not silently dropped', () => {
  const api = sharedFixture('arxiv-api/arxiv_raw_0.xml').replace(
    '<title>DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders</title>',
    '<title><script>alert(1)</script></title>',
  );
  assert.throws(() => parseApiFeed(api), isFormatError('api', /<title> contains child elements instead of text in entry 1/));
});

test('entities declared in a DOCTYPE are not expanded; numeric references are', () => {
  const xml = sharedFixture('arxiv-api/arxiv_raw_0.xml')
    .replace("<?xml version='1.0' encoding='UTF-8'?>", `<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE feed [<!ENTITY lol "lollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>`)
    .replace('<title>DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders</title>', '<title>&lol2; &#946;-VAE &#x3B1;</title>');
  assert.equal(parseApiFeed(xml).records[0]!.title, '&lol2; β-VAE α');
});

test('LaTeX, TeX accents and hard line breaks in titles and abstracts are kept raw; only the ends are trimmed', () => {
  const title = '  $\\mathcal{O}(n^2)$ Attention for Schr\\"odinger Bridges\n  at Scale  ';
  const abstract = '\n  We prove $\\|x\\|_2 \\leq 1$ and\nshow a 4$\\times$ speed-up.\n';
  const api = sharedFixture('arxiv-api/arxiv_raw_0.xml')
    .replace('<title>DiffusionBrowser: Interactive Diffusion Previews via Multi-Branch Decoders</title>', `<title>${title}</title>`)
    .replace(/<summary>Video diffusion models[^<]*<\/summary>/, `<summary>${abstract}</summary>`);
  const [record] = parseApiFeed(api).records;
  assert.equal(record!.title, title.trim());
  assert.equal(record!.abstract, abstract.trim());

  const latexTitle = parseApiFeed(sharedFixture('arxiv-api/arxiv_raw_300.xml')).records.find((r) => r.title.includes('-CLIP'));
  assert.equal(latexTitle?.title, '$β$-CLIP: Text-Conditioned Contrastive Learning for Multi-Granular Vision-Language Alignment');
});
