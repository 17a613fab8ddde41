import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { toFtsQuery } from '../../src/store/search-query.ts';
import { MATCH_END, MATCH_START, plainText, toSegments } from '../../src/digest/highlight.ts';
import { searchPapers } from '../../src/digest/search.ts';
import { searchQuerySchema } from '../../src/web/search/params.ts';
import { SearchPage } from '../../src/web/search/search-page.tsx';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer(25);
  base = prepared.server.url;
});
after(() => prepared.close());

interface Segment {
  text: string;
  match: boolean;
}
interface Hit {
  paper: { id: string; title: string; tags: string[]; categories: string[]; links: { code?: string }; authors: Array<{ name: string }> };
  announcedOn: string | null;
  match: { title: Segment[]; authors: Segment[]; snippet: Segment[] };
}
interface Results {
  query: string;
  total: number;
  page: number;
  perPage: number;
  pages: number;
  hits: Hit[];
}

async function search(query: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetchApi(`${base}/api/v1/search?${new URLSearchParams(query)}`);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  return { status: response.status, body: await response.json() };
}

async function results(query: Record<string, string>): Promise<Results> {
  const { status, body } = await search(query);
  assert.equal(status, 200, JSON.stringify(body));
  return body as Results;
}

const matched = (segments: Segment[]) => segments.filter((s) => s.match).map((s) => s.text.toLowerCase());

test('user text becomes an FTS5 query of quoted words that cannot break out', () => {
  assert.equal(toFtsQuery('graph neural'), '"graph" "neural"');
  assert.equal(toFtsQuery('"graph neural" net*'), '"graph neural" "net"*');
  assert.equal(toFtsQuery('AND OR NEAR( title:x ^y'), '"AND" "OR" "NEAR" "title x" "y"');
  assert.equal(toFtsQuery('<script>alert(1)</script>'), '"script alert 1 script"');
  assert.equal(toFtsQuery('"unbalanced'), '"unbalanced"');
  assert.equal(toFtsQuery('" () * -'), null);
});

test('marked text becomes balanced segments, whatever markers the stored text carries', () => {
  assert.deepEqual(toSegments(`a ${MATCH_START}b${MATCH_END} c`), [
    { text: 'a ', match: false },
    { text: 'b', match: true },
    { text: ' c', match: false },
  ]);
  const stray = `x${MATCH_END}y${MATCH_START}${MATCH_START}z`;
  assert.equal(plainText(toSegments(stray)), 'xyz');
});

test('a word of the title finds the paper first, with the word marked in its title', async () => {
  const digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { papers: Array<{ id: string; title: string }> };
  const paper = digest.papers.find((p) => p.id !== HOSTILE_PAPER.record.id)!;
  const word = (paper.title as string).split(/[^\p{L}]+/u).filter((w) => w.length >= 7).sort((a, b) => b.length - a.length)[0]!;
  const found = await results({ q: word });
  assert.ok(found.total >= 1);
  const hit = found.hits.find((h) => h.paper.id === paper.id);
  assert.ok(hit, `"${word}" finds ${paper.id}`);
  assert.ok(matched(hit.match.title).length > 0, 'the title carries a marked match');
  assert.equal(plainText(hit.match.title), paper.title, 'the marked title is the title');
});

test('title matches weigh more than matches elsewhere in the ranking', async () => {
  const found = await results({ q: 'learning', perPage: '50' });
  const positions = (titled: boolean) => found.hits.flatMap((h, i) => ((matched(h.match.title).length > 0) === titled ? [i] : []));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [inTitle, elsewhere] = [positions(true), positions(false)];
  assert.ok(inTitle.length >= 3 && elsewhere.length >= 3, `${inTitle.length} title and ${elsewhere.length} other matches`);
  assert.ok(mean(inTitle) < mean(elsewhere), `title matches rank higher on average: ${mean(inTitle)} vs ${mean(elsewhere)}`);
});

test('author names and summary text are searched too', async () => {
  const byAuthor = await results({ q: 'Mallory' });
  assert.deepEqual(byAuthor.hits.map((h) => h.paper.id), [HOSTILE_PAPER.record.id]);
  assert.deepEqual(matched(byAuthor.hits[0]!.match.authors), ['mallory']);
  // A summary word that is in no title or abstract: only the summaries column can find it.
  const { store } = prepared.ctx;
  const target = await store.db.selectFrom('summaries as s').innerJoin('papers as p', 'p.id', 's.paper_id').select(['s.id', 's.paper_id']).whereRef('s.version', '=', 'p.latest_version').executeTakeFirstOrThrow();
  assert.equal((await results({ q: 'zyzzyvaquux' })).total, 0);
  await store.db.updateTable('summaries').set({ implications: 'Practitioners of zyzzyvaquux benefit.' }).where('id', '=', target.id).execute();
  assert.ok((await store.searchIndex.refresh()) >= 1, 'the changed summary marked its paper for the index');
  const bySummary = await results({ q: 'zyzzyvaquux' });
  assert.deepEqual(bySummary.hits.map((h) => h.paper.id), [target.paper_id]);
  assert.deepEqual(matched(bySummary.hits[0]!.match.snippet), ['zyzzyvaquux']);
});

test('filters: topic, category, code and date range each hold for every hit, and code splits the total', async () => {
  const q = 'model';
  const all = await results({ q, perPage: '50' });
  assert.ok(all.total > 20, `${all.total} hits for "${q}"`);
  const tagged = all.hits.flatMap((h) => h.paper.tags);
  const tag = tagged[0]!;
  const slug = tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const byTag = await results({ q, tag: slug, perPage: '50' });
  assert.ok(byTag.total > 0 && byTag.total < all.total);
  for (const hit of byTag.hits) assert.ok(hit.paper.tags.includes(tag), `${hit.paper.id} carries ${tag}`);
  const byCategory = await results({ q, category: 'cs.CV', perPage: '50' });
  assert.ok(byCategory.total > 0 && byCategory.total < all.total);
  for (const hit of byCategory.hits) assert.ok(hit.paper.categories.includes('cs.CV'));
  const withCode = await results({ q, code: '1', perPage: '50' });
  const withoutCode = await results({ q, code: '0', perPage: '50' });
  assert.equal(withCode.total + withoutCode.total, all.total);
  assert.ok(withCode.total > 0);
  for (const hit of withCode.hits) assert.ok(hit.paper.links.code);
  for (const hit of withoutCode.hits) assert.equal(hit.paper.links.code, undefined);
  const ranged = await results({ q, from: '2026-06-17', to: '2026-06-18', perPage: '50' });
  assert.ok(ranged.total > 0 && ranged.total < all.total);
  for (const hit of ranged.hits) assert.ok(hit.announcedOn! >= '2026-06-17' && hit.announcedOn! <= '2026-06-18', `${hit.announcedOn}`);
  // The page's form sends empty fields for unused filters: they mean "no filter".
  const blank = await results({ q, from: '', to: '', tag: '', category: '', perPage: '50' });
  assert.equal(blank.total, all.total);
  // Filters alone list papers, newest first.
  const listing = await results({ tag: slug, perPage: '50' });
  const days = listing.hits.map((h) => h.announcedOn!);
  assert.deepEqual(days, [...days].sort().reverse());
});

test('pages are disjoint and together hold every hit exactly once', async () => {
  const first = await results({ q: 'learning', perPage: '7' });
  assert.ok(first.pages >= 3, `${first.total} hits`);
  assert.equal(first.pages, Math.ceil(first.total / 7));
  const ids: string[] = [];
  for (let page = 1; page <= first.pages; page += 1) {
    const one = await results({ q: 'learning', perPage: '7', page: String(page) });
    assert.equal(one.total, first.total);
    assert.equal(one.hits.length, page < first.pages ? 7 : first.total - 7 * (first.pages - 1));
    ids.push(...one.hits.map((h) => h.paper.id));
  }
  assert.equal(new Set(ids).size, first.total);
  const beyond = await results({ q: 'learning', perPage: '7', page: String(first.pages + 1) });
  assert.equal(beyond.hits.length, 0);
});

test('past maxRanked matches only the most recently stored are ranked, in the same order; the total stays exact', async () => {
  const { store } = prepared.ctx;
  const seqs = new Map((await store.db.selectFrom('papers').select(['id', 'seq']).execute()).map((p) => [p.id, Number(p.seq)]));
  for (const filters of [{}, { category: 'cs.LG' }]) {
    const all = await searchPapers(store, { q: 'learning', page: 1, perPage: 50, ...filters });
    assert.ok(all.total >= 8 && all.total <= 50, `${all.total} matches ${JSON.stringify(filters)}`);
    assert.equal(all.ranked, all.total);
    const cap = Math.floor(all.total / 2);
    // The cap newest matches, in the order the full ranking puts them.
    const newest = new Set(all.hits.map((h) => h.paper.id).sort((a, b) => seqs.get(b)! - seqs.get(a)!).slice(0, cap));
    const expected = all.hits.map((h) => h.paper.id).filter((id) => newest.has(id));
    const capped = await searchPapers(store, { q: 'learning', page: 1, perPage: 50, maxRanked: cap, ...filters });
    assert.equal(capped.total, all.total, 'the total counts every match');
    assert.equal(capped.ranked, cap);
    assert.equal(capped.pages, 1);
    assert.deepEqual(capped.hits.map((h) => h.paper.id), expected);
    // Paged by 3: every ranked match once, in order, then nothing.
    const pageCount = Math.ceil(cap / 3);
    const pages = await Promise.all(Array.from({ length: pageCount + 1 }, (_, i) => searchPapers(store, { q: 'learning', page: i + 1, perPage: 3, maxRanked: cap, ...filters })));
    assert.deepEqual(pages.flatMap((p) => p.hits.map((h) => h.paper.id)), expected);
    assert.equal(pages.at(-1)!.hits.length, 0);
    assert.ok(pages.every((p) => p.pages === pageCount));
  }
});

test('the results page says when only the most recent matches were ranked', async () => {
  const query = searchQuerySchema.parse({ q: 'learning' });
  const full = await searchPapers(prepared.ctx.store, { q: 'learning', page: 1, perPage: 20 });
  const capped = await searchPapers(prepared.ctx.store, { q: 'learning', page: 1, perPage: 20, maxRanked: 5 });
  const note = /Ranked among the 5 most recent; add a word or a date range to reach older papers\./;
  assert.match(String(SearchPage({ query, results: capped })), note);
  assert.doesNotMatch(String(SearchPage({ query, results: full })), /Ranked among/);
});

test('bad parameters are 400 JSON errors naming the parameter', async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{}, /q:/],
    [{ q: 'x'.repeat(201) }, /q: at most 200/],
    [{ q: 'x', from: '2026-13-01' }, /from: expected a date/],
    [{ q: 'x', from: '2026-06-20', to: '2026-06-01' }, /from must not be after to/],
    [{ q: 'x', tag: 'no-such-topic' }, /tag: not a topic/],
    [{ q: 'x', category: 'cs.LG"; DROP' }, /category/],
    [{ q: 'x', code: 'yes' }, /code/],
    [{ q: 'x', page: '0' }, /page/],
    [{ q: 'x', page: 'two' }, /page/],
    [{ q: 'x', perPage: '500' }, /perPage/],
  ];
  for (const [query, message] of cases) {
    const { status, body } = await search(query);
    assert.equal(status, 400, JSON.stringify(query));
    assert.equal(body.error.status, 400);
    assert.match(body.error.message, message, JSON.stringify(query));
  }
});

test('hostile queries are searched as words: never a 500, never markup', async () => {
  for (const q of ['<script>alert(1)</script>', '"', '""', 'AND OR NEAR(', 'NEAR(a b, 2)', 'title:foo', '*', '-', '^start', "' OR 1=1 --", '\u0000', MATCH_START]) {
    const api = await search({ q });
    assert.equal(api.status, 200, `${JSON.stringify(q)}: ${JSON.stringify(api.body)}`);
    const page = await fetchApi(`${base}/search?${new URLSearchParams({ q })}`);
    assert.equal(page.status, 200, JSON.stringify(q));
    const html = await page.text();
    assert.ok(!html.includes('<script>alert(1)'), 'the query is escaped');
  }
  const page = await (await fetchApi(`${base}/search?q=${encodeURIComponent('<script>alert(1)</script>')}`)).text();
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the query shows literally');
  const bad = await fetchApi(`${base}/search?q=x&page=0`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /could not run/);
});

test('the results page marks matches in escaped text, pages and offers a feed of the search', async () => {
  const html = await (await fetchApi(`${base}/search?q=EvilNet`)).text();
  assert.ok(html.includes('data-paper-id="2606.99001"'));
  assert.match(html, /&lt;b onmouseover=alert\(2\)&gt;<mark>EvilNet<\/mark>&lt;\/b&gt;/, 'the match is marked inside escaped markup');
  assert.ok(!html.includes('<b onmouseover'), 'no markup from the abstract');
  assert.ok(html.includes('<link rel="alternate" type="application/rss+xml" href="/feeds/search.rss?q=EvilNet"'));
  const paged = await (await fetchApi(`${base}/search?q=learning&perPage=5&page=2`)).text();
  assert.ok(paged.includes('rel="prev"') && paged.includes('rel="next"'));
  assert.match(paged, /Page 2 of \d+/);
  const form = await (await fetchApi(`${base}/`)).text();
  assert.match(form, /<form class="site-search" role="search" aria-label="Site search" action="\/search" method="get">/);
});
