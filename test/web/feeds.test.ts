import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;
let digest: { date: string; papers: Array<{ id: string; title: string; highlights: string[]; tags: string[] }> };

before(async () => {
  prepared = await startPreparedServer(15);
  base = prepared.server.url;
  digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as typeof digest;
});
after(() => prepared.close());

/** An independent reading of each format: fast-xml-parser for RSS and Atom, a zod schema for JSON Feed. */
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['item', 'entry', 'link', 'category', 'author'].includes(name) });

const jsonFeedSchema = z.object({
  version: z.literal('https://jsonfeed.org/version/1'),
  title: z.string(),
  home_page_url: z.url(),
  feed_url: z.url(),
  items: z.array(
    z.object({
      id: z.string(),
      url: z.url(),
      title: z.string(),
      content_html: z.string(),
      summary: z.string(),
      date_modified: z.iso.datetime(),
      tags: z.array(z.string()).optional(),
    }),
  ),
});

/** What a feed reader shows of a typed-HTML field; only the entities the serialiser emits. */
const decodeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const textOf = (value: unknown): string => (typeof value === 'string' ? value : ((value as { '#text'?: string })?.['#text'] ?? ''));

interface Item {
  title: string;
  link: string;
  content: string;
  summary: string;
  categories: string[];
}

async function fetchFeed(path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetchApi(base + path);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** Each format read back into the same shape; titles and summaries as a reader shows them. */
async function readItems(path: string, format: 'rss' | 'atom' | 'json', query = ''): Promise<{ self: string; items: Item[] }> {
  const { status, type, body } = await fetchFeed(`${path}.${format}${query}`);
  assert.equal(status, 200, `${path}.${format}: ${body.slice(0, 200)}`);
  if (format === 'json') {
    assert.match(type, /^application\/feed\+json/);
    const feed = jsonFeedSchema.parse(JSON.parse(body));
    return { self: feed.feed_url, items: feed.items.map((i) => ({ title: i.title, link: i.url, content: i.content_html, summary: i.summary, categories: i.tags ?? [] })) };
  }
  const doc = xml.parse(body);
  if (format === 'rss') {
    assert.match(type, /^application\/rss\+xml/);
    const channel = doc.rss.channel;
    assert.equal(doc.rss['@version'], '2.0');
    return {
      self: channel['atom:link']['@href'],
      items: (channel.item ?? []).map((i: any) => ({
        title: decodeHtml(textOf(i.title)),
        link: i.link[0],
        content: i['content:encoded'],
        summary: decodeHtml(textOf(i.description)),
        categories: (i.category ?? []).map(textOf),
      })),
    };
  }
  assert.match(type, /^application\/atom\+xml/);
  const feed = doc.feed;
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  return {
    self: feed.link.find((l: any) => l['@rel'] === 'self')['@href'],
    items: (feed.entry ?? []).map((e: any) => {
      assert.equal(e.title['@type'], 'html');
      return {
        title: decodeHtml(textOf(e.title)),
        link: e.link[0]['@href'],
        content: textOf(e.content),
        summary: decodeHtml(textOf(e.summary)),
        categories: (e.category ?? []).map((c: any) => c['@label']),
      };
    }),
  };
}

const FORMATS = ['rss', 'atom', 'json'] as const;

test('the digest feed in each format carries every digest paper with its link and highlights', async () => {
  for (const format of FORMATS) {
    const { self, items } = await readItems('/feeds/digest', format);
    assert.equal(self, `${base}/feeds/digest.${format}`);
    assert.deepEqual(items.map((i) => i.link), digest.papers.map((p) => `${base}/papers/${p.id}`), format);
    for (const [index, item] of items.entries()) {
      const paper = digest.papers[index]!;
      assert.equal(item.title, paper.title, `${format} title of ${paper.id}`);
      assert.equal(item.summary, paper.highlights[0]);
      for (const highlight of paper.highlights) assert.ok(decodeHtml(item.content).includes(highlight), `${format} ${paper.id} carries "${highlight}"`);
      assert.ok(item.content.includes(`href="https://arxiv.org/abs/${paper.id}"`));
      assert.deepEqual(item.categories, paper.tags);
    }
  }
});

test('hostile paper text stays text in every feed format', async () => {
  const record = HOSTILE_PAPER.record;
  for (const format of FORMATS) {
    const { items } = await readItems('/feeds/digest', format);
    const item = items.find((i) => i.link.endsWith(record.id));
    assert.ok(item, `${format} has the hostile paper`);
    // Read as a reader does (typed HTML decoded once), the title is the literal title: no markup survives.
    assert.equal(item.title, record.title);
    for (const tag of ['<script', '<img', '<svg', '<b ']) assert.ok(!item.content.includes(tag), `${format} content has no ${tag}`);
    assert.ok(decodeHtml(item.content).includes('Mallory <svg onload=alert(4)>'), 'the author name shows literally');
    assert.ok(decodeHtml(item.content).includes("O'Brien & Sons"));
  }
  const rss = (await fetchFeed('/feeds/digest.rss')).body;
  const atom = (await fetchFeed('/feeds/digest.atom')).body;
  for (const body of [rss, atom]) {
    assert.ok(!/<title[^>]*><!\[CDATA\[[^\]]*<script/.test(body), 'no raw script tag in a title');
    assert.ok(!body.includes('<b onmouseover'), 'no raw markup in a summary');
  }
});

test('a topic feed holds only papers of that topic; unknown topics and files are 404', async () => {
  const tag = digest.papers[0]!.tags[0]!;
  const slug = tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  for (const format of FORMATS) {
    const { self, items } = await readItems(`/feeds/tags/${slug}`, format);
    assert.equal(self, `${base}/feeds/tags/${slug}.${format}`);
    assert.ok(items.length > 0);
    for (const item of items) assert.ok(item.categories.includes(tag), `${format}: ${item.link} carries ${tag}`);
  }
  const page = await (await fetchApi(`${base}/?tag=${slug}`)).text();
  assert.ok(page.includes(`<link rel="alternate" type="application/atom+xml" href="/feeds/tags/${slug}.atom"`), 'a filtered digest announces its topic feed');
  assert.equal((await fetchFeed('/feeds/tags/no-such-topic.rss')).status, 404);
  assert.equal((await fetchFeed(`/feeds/tags/${slug}.html`)).status, 404);
  assert.equal((await fetchFeed('/feeds/everything.rss')).status, 404);
});

test('a search feed carries the marked match; it needs words and valid parameters', async () => {
  for (const format of FORMATS) {
    const { items } = await readItems('/feeds/search', format, '?q=EvilNet');
    assert.deepEqual(items.map((i) => i.link), [`${base}/papers/${HOSTILE_PAPER.record.id}`], format);
  }
  const rss = xml.parse((await fetchFeed('/feeds/search.rss?q=EvilNet')).body).rss.channel;
  assert.equal(rss['atom:link']['@href'], `${base}/feeds/search.rss?q=EvilNet`);
  assert.equal(rss.item.length, 1);
  assert.ok(rss.item[0]['content:encoded'].includes('<mark>EvilNet</mark>'), 'the match is marked');
  assert.ok(!rss.item[0]['content:encoded'].includes('<b onmouseover'));
  const json = jsonFeedSchema.parse(JSON.parse((await fetchFeed('/feeds/search.json?q=learning&code=1')).body));
  assert.ok(json.items.length > 0);
  assert.ok(json.items.every((i) => i.content_html.includes('<mark>')), 'every item carries its match');
  assert.equal((await fetchFeed('/feeds/search.atom')).status, 400);
  assert.equal((await fetchFeed('/feeds/search.atom?q=x&from=nope')).status, 400);
});

test('pages announce their feeds and the digest shows a Subscribe link', async () => {
  const html = await (await fetchApi(`${base}/`)).text();
  for (const [type, format] of [['application/rss+xml', 'rss'], ['application/atom+xml', 'atom'], ['application/feed+json', 'json']]) {
    assert.ok(html.includes(`<link rel="alternate" type="${type}" href="/feeds/digest.${format}"`), `${format} alternate link`);
  }
  assert.match(html, /<p class="subscribe"><a href="\/feeds\/digest.rss" type="application\/rss\+xml" rel="alternate">Subscribe<\/a>/);
  const search = await (await fetchApi(`${base}/search?q=learning`)).text();
  assert.ok(search.includes('href="/feeds/search.atom?q=learning"'));
});

test("an author's feed holds exactly the papers of their profile, newest first; the profile announces it", async () => {
  const card = (await (await fetchApi(`${base}/api/v1/papers/${digest.papers[0]!.id}`)).json()) as { authors: Array<{ id: number; name: string }> };
  const author = card.authors[0]!;
  const profile = (await (await fetchApi(`${base}/api/v1/authors/${author.id}`)).json()) as { paperList: { papers: Array<{ id: string }> } };
  const expected = profile.paperList.papers.map((p) => `${base}/papers/${p.id}`);
  assert.ok(expected.length >= 1);
  for (const format of FORMATS) {
    const { self, items } = await readItems(`/feeds/authors/${author.id}`, format);
    assert.equal(self, `${base}/feeds/authors/${author.id}.${format}`);
    assert.deepEqual(items.map((i) => i.link), expected, format);
    for (const item of items) assert.ok(item.content.includes('<li>'), `${format}: ${item.link} carries its highlights`);
  }
  const page = await (await fetchApi(`${base}/authors/${author.id}`)).text();
  assert.ok(page.includes(`<link rel="alternate" type="application/atom+xml" href="/feeds/authors/${author.id}.atom"`), 'the profile announces its feed');
  assert.match(page, new RegExp(`<a href="/feeds/authors/${author.id}.rss" type="application/rss\\+xml" rel="alternate">Follow this author</a>`));
  assert.equal((await fetchFeed('/feeds/authors/999999999.rss')).status, 404);
  assert.equal((await fetchFeed('/feeds/authors/abc.rss')).status, 404);
  // Past PostgreSQL's INTEGER (the authors' id column there): a clean 404/400 on every backend, never the database's out-of-range error as a 500.
  for (const id of ['2147483648', '9007199254740993', '99999999999999999999']) {
    assert.equal((await fetchFeed(`/feeds/authors/${id}.rss`)).status, 404, `feed of author ${id}`);
    assert.equal((await fetchApi(`${base}/authors/${id}`)).status, 400, `profile of author ${id}`);
    assert.equal((await fetchApi(`${base}/api/v1/authors/${id}`)).status, 400, `API author ${id}`);
  }
  assert.equal((await fetchFeed('/feeds/authors/2147483647.rss')).status, 404, 'the largest id is looked up: no such author');
  assert.equal((await fetchFeed(`/feeds/authors/${author.id}.html`)).status, 404);
});
