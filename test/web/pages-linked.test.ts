import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';
import { bundledPapers, samplePapers } from '../helpers/snapshot.ts';
import { enrichEnv, snapshotEnrichment } from '../enrich/fixtures.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;
let scholarly: ScholarlyServer;

before(async () => {
  // A slice of the snapshot plus every paper of one prolific author, enriched from the replay server:
  // only enrichment joins one researcher's papers (a name alone never does).
  scholarly = await startScholarlyServer(snapshotEnrichment());
  const ids = new Set((await samplePapers(20)).map((p) => p.record.id));
  const extra = (await bundledPapers()).filter((p) => !ids.has(p.record.id) && p.record.authors.some((a) => a.name === 'Trung-Nghia Le'));
  prepared = await startPreparedServer(20, enrichEnv(scholarly), extra);
  base = prepared.server.url;
});
after(async () => {
  await prepared?.close();
  await scholarly?.close();
});

/** Internal links of a page (links and GET forms' actions, HTML-unescaped), without fragments. */
function internalLinks(html: string): string[] {
  // POST forms (a card's Save, sign-out) are actions, not pages: the crawl follows GET forms only.
  const getForms = [...html.matchAll(/<form\s([^>]*)>/g)].filter((m) => !/method="post"/i.test(m[1]!)).map((m) => /action="([^"]*)"/.exec(m[1]!)?.[1]).filter((a): a is string => a !== undefined);
  const hrefs = [...[...html.matchAll(/<a\s[^>]*?href="([^"]*)"/g)].map((m) => m[1]!), ...getForms].map((h) => h.replaceAll('&amp;', '&'));
  return hrefs.filter((h) => h.startsWith('/') || h.startsWith('?')).map((h) => h.split('#')[0]!).filter((h) => h !== '');
}

/** The kind of page an address is, so the crawl visits a few of each kind instead of every paper. */
function kindOf(pathname: string): string {
  return pathname
    .replace(/^\/papers\/.+$/, '/papers/:id')
    .replace(/^\/authors\/\d+$/, '/authors/:id')
    .replace(/^\/digest\/\d{4}-\d{2}-\d{2}/, '/digest/:date')
    .replace(/^\/feeds\/(tags|authors)\/[^/.]+/, '/feeds/$1/:x');
}

test('every page kind is reachable by links from the digest, and no internal link is broken', async () => {
  const seen = new Set<string>();
  const perKind = new Map<string, number>();
  const queue = ['/'];
  const visited: string[] = [];
  while (queue.length > 0) {
    const address = queue.shift()!;
    const url = new URL(address, base);
    const key = url.pathname + url.search;
    if (seen.has(key)) continue;
    seen.add(key);
    const kind = kindOf(url.pathname) + (url.search ? '?' : '');
    if ((perKind.get(kind) ?? 0) >= 3) continue;
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    const response = await fetchApi(url);
    assert.equal(response.status, 200, `${key} (linked) answers ${response.status}`);
    visited.push(key);
    const type = response.headers.get('content-type') ?? '';
    const body = await response.text();
    if (!type.startsWith('text/html')) continue;
    for (const link of internalLinks(body)) queue.push(new URL(link, url).pathname + new URL(link, url).search);
  }
  const kinds = new Set([...perKind.keys()]);
  for (const expected of ['/', '/digest/:date', '/digest/:date/all', '/papers/:id', '/authors/:id', '/about', '/about/scores', '/search', '/?', '/feeds/digest.rss', '/feeds/tags/:x.rss', '/feeds/authors/:x.rss', '/api/v1/openapi.json', '/api/v1/digest']) {
    assert.ok(kinds.has(expected), `${expected} is linked from somewhere (kinds reached: ${[...kinds].sort().join(' ')})`);
  }
  assert.ok(visited.length > 30, `${visited.length} pages visited`);
});

test('/about says what is read, how often, and links the scores page, the feeds and the API', async () => {
  const response = await fetchApi(`${base}/about`);
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(html, /<h1>About papersift<\/h1>/);
  assert.match(html, /<span data-field="categories">cs\.LG, /);
  for (const href of ['/about/scores', '/api/v1/openapi.json', '/feeds/digest.rss', '/feeds/digest.atom', '/feeds/digest.json', '/search']) {
    assert.ok(html.includes(`href="${href}"`), `links ${href}`);
  }
  assert.match(html, /papersift&#39;s offline extractive summariser/);
});

test('a paper page lists other papers of its authors, linked, with the shared authors; the API carries them too', async () => {
  // A paper of the prepared store whose author has another paper there.
  const row = await prepared.ctx.store
    .db.selectFrom('paper_authors as a')
    .innerJoin('paper_authors as b', (join) => join.onRef('b.author_id', '=', 'a.author_id').onRef('b.paper_id', '<>', 'a.paper_id'))
    .select(['a.paper_id as paper', 'b.paper_id as other', 'a.name'])
    .executeTakeFirstOrThrow();
  const html = await (await fetchApi(`${base}/papers/${row.paper}`)).text();
  const section = html.match(/<section class="same-authors"[\s\S]*?<\/section>/)?.[0] ?? '';
  assert.match(section, /Other papers by the same authors/);
  assert.ok(section.includes(`href="/papers/${row.other}"`), `links ${row.other}`);
  assert.ok(section.includes(`>${row.name.replaceAll('&', '&amp;').replaceAll("'", '&#39;')}</a>`), `names ${row.name}`);
  const api = (await (await fetchApi(`${base}/api/v1/papers/${row.paper}`)).json()) as { sameAuthors: Array<{ id: string; sharedAuthors: Array<{ name: string }> }> };
  const other = api.sameAuthors.find((p) => p.id === row.other);
  assert.ok(other, 'the API lists it');
  assert.ok(other.sharedAuthors.some((a) => a.name === row.name));
  // A paper whose authors have nothing else says so.
  const lonely = await (await fetchApi(`${base}/papers/${HOSTILE_PAPER.record.id}`)).text();
  assert.match(lonely, /No other paper of these authors is stored yet\./);
});
