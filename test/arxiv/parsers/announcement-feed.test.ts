import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnnouncementFeed } from '../../../src/arxiv/announcement-feed.ts';
import { ArxivFormatError } from '../../../src/arxiv/errors.ts';
import { ownFixture, sharedFixture } from './fixtures.ts';

test('a real RSS 2.0 feed gives one entry per item with id, version, announce type and announcement day', () => {
  const feed = parseAnnouncementFeed(sharedFixture('rss/arxiv_rss.xml'));
  assert.equal(feed.feedDate, '2026-09-24');
  assert.deepEqual(
    feed.entries.map((e) => [e.id, e.version, e.announceType, e.announcedOn]),
    [
      ['2609.26811', 1, 'new', '2026-09-24'],
      ['2609.26820', 1, 'new', '2026-09-24'],
      ['2205.06398', 2, 'cross', '2026-09-24'],
      ['2009.13987', 3, 'replace', '2026-09-24'],
    ],
  );
});

test('RSS items: abstract without the "arXiv:… Announce Type: … Abstract:" prefix, authors split, license, DOI', () => {
  const [first, second, cross, replace] = parseAnnouncementFeed(sharedFixture('rss/arxiv_rss.xml')).entries;
  assert.equal(first!.title, 'The Drift Contract: Spectral Updates for Depth-Robust Local Learning');
  assert.ok(first!.abstract.startsWith('Local learning trains each layer with its own auxiliary loss'));
  assert.ok(first!.abstract.endsWith('precisely where normalization is absent.'));
  assert.doesNotMatch(first!.abstract, /Announce Type/);
  assert.deepEqual(first!.authors, ['Fabien Polly']);
  assert.equal(first!.license, 'http://creativecommons.org/licenses/by-nc-sa/4.0/');
  assert.deepEqual(second!.authors, ['Naser Mansour', 'Sidahmed Benabderrahmane', 'Ameer Rahwan']);
  assert.deepEqual(second!.categories, ['cs.LG', 'cs.AI']);
  assert.deepEqual(cross!.authors, ['Pritam Dey', 'Zhengwu Zhang', 'David B. Dunson']);
  assert.equal(cross!.doi, '10.1093/bioinformatics/btac431');
  assert.equal(cross!.journalRef, null);
  assert.deepEqual(cross!.categories, ['stat.ME', 'stat.AP', 'stat.ML'], 'the feed order is kept');
  assert.equal(replace!.license, 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/');
  assert.equal(replace!.doi, null);
});

test('an Atom announcement feed with all four announce types', () => {
  const feed = parseAnnouncementFeed(ownFixture('announcement-atom-cs.LG.xml'));
  assert.equal(feed.feedDate, '2026-06-18');
  assert.deepEqual(
    feed.entries.map((e) => [e.id, e.version, e.announceType, e.announcedOn]),
    [
      ['2606.14721', 1, 'new', '2026-06-18'],
      ['2606.15002', 1, 'cross', '2026-06-18'],
      ['2511.08812', 3, 'replace', '2026-06-18'],
      ['2403.01177', 2, 'replace-cross', '2026-06-18'],
    ],
  );
  const [fresh, cross, replace, replaceCross] = feed.entries;
  assert.deepEqual(fresh!.authors, ['Ana Lima', 'Kenji Watanabe', 'Priya Raman'], '"and" separates the last author');
  assert.deepEqual(fresh!.categories, ['cs.LG', 'cs.CL']);
  assert.equal(fresh!.license, 'http://creativecommons.org/licenses/by/4.0/');
  assert.ok(fresh!.abstract.startsWith('We study token routing'));
  assert.match(fresh!.abstract, /\$\\mathcal\{O\}\(\\log n\)\$ of\noptimal/, 'LaTeX and hard line breaks are kept raw');
  assert.deepEqual(cross!.categories, ['q-bio.BM', 'cs.LG', 'stat.ML'], 'a cross-list keeps its primary (not the feed category) where the feed put it');
  assert.deepEqual(cross!.authors, ["Maria Gonz\\'alez", "Tom\\'as Ruiz"], 'TeX accents stay raw');
  assert.equal(replace!.title, 'Scaling Laws for Offline Reinforcement Learning\n  from Human Feedback');
  assert.deepEqual(replace!.authors, ['Lena Fischer, Jr.', 'Omar Haddad'], 'a "Jr." stays with its name');
  assert.equal(replace!.journalRef, 'Transactions on Machine Learning Research, 2026');
  assert.equal(replace!.doi, '10.48550/tmlr.2026.0412');
  assert.match(replaceCross!.abstract, /message\npassing network & compare/, 'entities are decoded');
  assert.deepEqual(replaceCross!.authors, ['Grid Analytics Collaboration']);
});

test('the RSS and Atom forms of the same announcement parse to the same entry', () => {
  const rss = `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>cs.LG updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.LG</link>
    <atom:link href="http://rss.arxiv.org/rss/cs.LG" rel="self" type="application/rss+xml"/>
    <lastBuildDate>Thu, 18 Jun 2026 04:00:01 +0000</lastBuildDate>
    <pubDate>Thu, 18 Jun 2026 00:00:00 -0400</pubDate>
    <item>
      <title>Scaling Laws for Offline Reinforcement Learning
  from Human Feedback</title>
      <link>https://arxiv.org/abs/2511.08812</link>
      <description>arXiv:2511.08812v3 Announce Type: replace 
Abstract: We fit power laws to the reward-model error of offline RLHF as a function
of data and parameters.</description>
      <guid isPermaLink="false">oai:arXiv.org:2511.08812v3</guid>
      <category>cs.LG</category>
      <category>cs.AI</category>
      <pubDate>Thu, 18 Jun 2026 00:00:00 -0400</pubDate>
      <arxiv:announce_type>replace</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by-sa/4.0/</dc:rights>
      <arxiv:journal_reference>Transactions on Machine Learning Research, 2026</arxiv:journal_reference>
      <arxiv:DOI>10.48550/tmlr.2026.0412</arxiv:DOI>
      <dc:creator>Lena Fischer, Jr., Omar Haddad</dc:creator>
    </item>
  </channel>
</rss>`;
  const fromRss = parseAnnouncementFeed(rss);
  const fromAtom = parseAnnouncementFeed(ownFixture('announcement-atom-cs.LG.xml'));
  assert.equal(fromRss.feedDate, fromAtom.feedDate);
  assert.deepEqual(fromRss.entries[0], fromAtom.entries[2]);
});

test('a day without announcements is a valid feed with no entries (RSS with skipDays, and Atom)', () => {
  assert.deepEqual(parseAnnouncementFeed(ownFixture('announcement-rss-empty-day.xml')), { feedDate: '2026-06-20', entries: [] });
  assert.deepEqual(parseAnnouncementFeed(ownFixture('announcement-atom-empty-day.xml')), { feedDate: '2026-06-20', entries: [] });
});

test('the announcement day is the date the feed names, in its own time zone, not the UTC date', () => {
  const xml = sharedFixture('rss/arxiv_rss.xml')
    .replace(/<pubDate>Thu, 24 Sep 2026 00:00:00 -0400<\/pubDate>/g, '<pubDate>Thu, 24 Sep 2026 00:00:00 +0200</pubDate>');
  const feed = parseAnnouncementFeed(xml);
  assert.equal(feed.feedDate, '2026-09-24');
  assert.ok(feed.entries.every((e) => e.announcedOn === '2026-09-24'));
});

test('an item without a versioned id, with an unknown announce type or without a date is a format error naming the item', () => {
  const real = sharedFixture('rss/arxiv_rss.xml');
  const noVersion = real
    .replace('arXiv:2205.06398v2 Announce Type', 'arXiv:2205.06398 Announce Type')
    .replace('oai:arXiv.org:2205.06398v2', 'oai:arXiv.org:2205.06398');
  assert.throws(() => parseAnnouncementFeed(noVersion), (error: unknown) => {
    assert.ok(error instanceof ArxivFormatError);
    assert.equal(error.source, 'rss');
    assert.match(error.message, /item 3/);
    assert.match(error.message, /no versioned arXiv id/);
    return true;
  });
  const unknownType = real.replace('<arxiv:announce_type>cross</arxiv:announce_type>', '<arxiv:announce_type>withdrawn</arxiv:announce_type>');
  assert.throws(() => parseAnnouncementFeed(unknownType), /item 3.*unknown announce type "withdrawn"|unknown announce type "withdrawn".*item 3/);
  const noDate = real.replace(/<pubDate>[^<]*<\/pubDate>/g, '').replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, '');
  assert.throws(() => parseAnnouncementFeed(noDate), /no announcement date/);
  assert.throws(() => parseAnnouncementFeed(real.replace('<title>Random Polytope Descriptors</title>', '')), /missing <title> in item 4/);
});

test('a document that is neither RSS 2.0 nor Atom is rejected', () => {
  assert.throws(
    () => parseAnnouncementFeed('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></rdf:RDF>'),
    (error: unknown) => error instanceof ArxivFormatError && /expected an RSS 2\.0 <rss> or Atom <feed> root element, found <RDF>/.test(error.message),
  );
});
