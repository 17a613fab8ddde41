/**
 * Citations over HTTP (a real server on a real store, either backend): each format of a paper, of a
 * day's digest and of a search page, read back by independent parsers and checked against the API's
 * own JSON; every answer held to the OpenAPI document (media types included). And what paper pages
 * say to reference managers and link previews: Highwire Press and Open Graph tags, escaped.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';
import { nameText, parseBibtex, parseCslJson, parseRis } from '../helpers/citation-parsers.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer(20);
  base = prepared.server.url;
});
after(() => prepared.close());

const PARSERS = { bibtex: parseBibtex, ris: parseRis, 'csl-json': parseCslJson } as const;
const MEDIA = { bibtex: 'application/x-bibtex', ris: 'application/x-research-info-systems', 'csl-json': 'application/vnd.citationstyles.csl+json' } as const;

async function citation(path: string, format: keyof typeof PARSERS) {
  const response = await fetchApi(`${base}${path}${path.includes('?') ? '&' : '?'}format=${format}`);
  const text = await response.text();
  assert.equal(response.status, 200, `${path} ${format}: ${text.slice(0, 200)}`);
  assert.equal(response.headers.get('content-type'), `${MEDIA[format]}; charset=utf-8`);
  assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="papersift-[\w.-]+\.(bib|ris|json)"$/);
  return { text, items: PARSERS[format](text) };
}

test('a paper in each format: the title, every author, the id, the date and the links, as the API gives them', async () => {
  const digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { papers: Array<{ id: string }> };
  for (const id of [digest.papers[0]!.id, HOSTILE_PAPER.record.id]) {
    const paper = (await (await fetchApi(`${base}/api/v1/papers/${id}`)).json()) as { title: string; authors: Array<{ name: string }>; published: string; primaryCategory: string };
    for (const format of ['bibtex', 'ris', 'csl-json'] as const) {
      const { text, items } = await citation(`/api/v1/papers/${id}/citation`, format);
      assert.equal(items.length, 1);
      const item = items[0]!;
      assert.equal(item.title, paper.title, `${id} ${format}: the title`);
      assert.deepEqual(item.author!.map(nameText), paper.authors.map((a) => a.name), `${id} ${format}: the authors`);
      assert.equal(item.URL, `https://arxiv.org/abs/${id}`);
      assert.equal((item.issued as { 'date-parts': number[][] })['date-parts'][0]![0], Number(paper.published.slice(0, 4)));
      if (format === 'bibtex') {
        assert.match(text, new RegExp(`eprint = \\{${id.replace('.', '\\.')}\\},\\n  archivePrefix = \\{arXiv\\},\\n  primaryClass = \\{${paper.primaryCategory.replace('.', '\\.')}\\}`));
        assert.doesNotMatch(text, /<script>|\\input|\\alert/);
      }
    }
  }
  // BibTeX is the default format.
  const plain = await fetchApi(`${base}/api/v1/papers/${HOSTILE_PAPER.record.id}/citation`);
  assert.equal(plain.headers.get('content-type'), 'application/x-bibtex; charset=utf-8');
  assert.match(await plain.text(), /^@misc\{onloadalert2026_2606\.99001,/);
});

test("a day's digest: every paper of the digest, in digest order, with distinct keys, in each format", async () => {
  const digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { date: string; papers: Array<{ id: string }> };
  assert.ok(digest.papers.length > 5);
  for (const format of ['bibtex', 'ris', 'csl-json'] as const) {
    const { items } = await citation(`/api/v1/digest/citation?date=${digest.date}`, format);
    assert.deepEqual(items.map((item) => String(item.URL).replace('https://arxiv.org/abs/', '')), digest.papers.map((p) => p.id), format);
    if (format !== 'ris') assert.equal(new Set(items.map((item) => item.id)).size, items.length, `${format}: distinct keys`);
  }
  const latest = await citation('/api/v1/digest/citation', 'csl-json');
  assert.equal(latest.items.length, digest.papers.length, 'without a date: the latest digest');
});

test('a page of search results, in each format, in the order of the search', async () => {
  const results = (await (await fetchApi(`${base}/api/v1/search?q=learning&perPage=7`)).json()) as { hits: Array<{ paper: { id: string } }> };
  assert.equal(results.hits.length, 7);
  for (const format of ['bibtex', 'ris', 'csl-json'] as const) {
    const { items } = await citation('/api/v1/search/citation?q=learning&perPage=7', format);
    assert.deepEqual(items.map((item) => String(item.URL).replace('https://arxiv.org/abs/', '')), results.hits.map((hit) => hit.paper.id), format);
  }
});

test('refusals: an unknown format, paper or day, a bad id or date, a search without words or filters; all in the API error shape', async () => {
  const cases: Array<[string, number, RegExp]> = [
    [`/api/v1/papers/${HOSTILE_PAPER.record.id}/citation?format=endnote`, 400, /format: expected one of bibtex, ris, csl-json/],
    ['/api/v1/papers/2606.00000/citation', 404, /no paper 2606\.00000/],
    ['/api/v1/papers/not-an-id/citation', 400, /arXiv id/],
    ['/api/v1/papers/hep-th/9901001/citation?format=ris', 404, /no paper hep-th\/9901001/],
    ['/api/v1/digest/citation?date=2026-02-30', 400, /YYYY-MM-DD/],
    ['/api/v1/digest/citation?date=2020-01-06', 404, /no digest for 2020-01-06/],
    ['/api/v1/search/citation?format=ris', 400, /give words to search/],
    ['/api/v1/search/citation?q=x&format=', 200, /^@/],
  ];
  for (const [path, status, message] of cases) {
    const response = await fetchApi(base + path);
    const text = await response.text();
    assert.equal(response.status, status, `${path}: ${text.slice(0, 200)}`);
    if (status !== 200) assert.match((JSON.parse(text) as { error: { message: string } }).error.message, message, path);
  }
});

/** The content of every `<meta name|property=…>` of a page, decoded as a browser would. */
function metaTags(html: string): Array<[string, string]> {
  const head = html.slice(0, html.indexOf('</head>'));
  const decode = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
  return [...head.matchAll(/<meta (?:name|property)="([^"]+)" content="([^"]*)"\/?>/g)].map((m) => [m[1]!, decode(m[2]!)]);
}

test('paper pages: Highwire Press tags (one citation_author per author) and Open Graph tags, escaped; a Cite menu and export links without script', async () => {
  const response = await fetch(`${base}/papers/${HOSTILE_PAPER.record.id}`);
  const html = await response.text();
  const tags = metaTags(html);
  const values = (name: string) => tags.filter(([n]) => n === name).map(([, v]) => v);
  assert.deepEqual(values('citation_title'), [HOSTILE_PAPER.record.title]);
  assert.deepEqual(values('citation_author'), HOSTILE_PAPER.record.authors.map((a) => a.name));
  assert.deepEqual(values('citation_publication_date'), ['2026/06/26']);
  assert.deepEqual(values('citation_arxiv_id'), ['2606.99001']);
  assert.deepEqual(values('citation_pdf_url'), ['https://arxiv.org/pdf/2606.99001']);
  assert.deepEqual(values('citation_abstract_html_url'), ['https://arxiv.org/abs/2606.99001']);
  assert.deepEqual(values('og:title'), [HOSTILE_PAPER.record.title]);
  assert.deepEqual(values('og:type'), ['article']);
  assert.equal(values('og:description').length, 1);
  // The hostile title and names are attribute text, never markup.
  assert.doesNotMatch(html.slice(0, html.indexOf('</head>')), /<script>alert|<svg onload|<img src=x/);
  assert.match(html, /<details class="cite"><summary>Cite<\/summary><pre class="bibtex" aria-label="BibTeX">@misc\{onloadalert2026_2606\.99001,/);
  for (const format of ['bibtex', 'ris', 'csl-json']) assert.ok(html.includes(`href="/api/v1/papers/2606.99001/citation?format=${format}"`), format);
  assert.doesNotMatch(html, /<script/);

  const digestPage = await (await fetch(`${base}/`)).text();
  assert.match(digestPage, /href="\/api\/v1\/digest\/citation\?date=\d{4}-\d{2}-\d{2}&amp;format=bibtex"/);
  const searchPage = await (await fetch(`${base}/search?q=learning&tag=reinforcement-learning`)).text();
  assert.match(searchPage, /href="\/api\/v1\/search\/citation\?q=learning&amp;tag=reinforcement-learning&amp;format=ris"/);
});
