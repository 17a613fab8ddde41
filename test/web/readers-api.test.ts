import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashSecret, newSecret } from '../../src/domain/secrets.ts';
import { fetchApi } from '../helpers/api-contract.ts';
import { recordedApiEntries, startReplayServer, type ReplayServer } from '../helpers/arxiv-replay-server.ts';
import { startPreparedServer } from '../helpers/server.ts';

/**
 * The reader's own API (/api/v1/me/*) over a real server on loopback: credentials, the library, feedback,
 * and one reader never reaching another's data (every route tried with the other reader's token).
 * Every answer is held to the OpenAPI document (fetchApi).
 */
type Prepared = Awaited<ReturnType<typeof startPreparedServer>>;

async function readerWithToken(prepared: Prepared, email: string): Promise<{ id: string; token: string }> {
  const { reader } = await prepared.ctx.store.readers.ensure(email);
  const token = newSecret('api');
  await prepared.ctx.store.readers.storeToken(reader.id, 'api', hashSecret(token));
  return { id: reader.id, token };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const postJson = (token: string | null, body: unknown) => ({
  method: 'POST',
  headers: { ...(token ? bearer(token) : {}), 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('email mode: readers need credentials and see only their own data', () => {
  let arxiv: ReplayServer;
  let prepared: Prepared;
  let base: string;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let stored: string[];
  const pool = recordedApiEntries();
  const onArxivOnly = [...pool.keys()][0]!;

  before(async () => {
    arxiv = await startReplayServer({ apiEntries: pool });
    prepared = await startPreparedServer(12, {
      PAPERSIFT_AUTH: 'email',
      ARXIV_API_URL: arxiv.apiUrl,
      ARXIV_MIN_INTERVAL_MS: '5',
      ARXIV_BACKOFF_MS: '10',
      ARXIV_MAX_RETRIES: '1',
    });
    base = `${prepared.server.url}/api/v1`;
    alice = await readerWithToken(prepared, 'Alice@example.org');
    bob = await readerWithToken(prepared, 'bob@example.org');
    stored = (await prepared.ctx.store.db.selectFrom('papers').select('id').orderBy('id').limit(3).execute()).map((r) => r.id);
  });
  after(async () => {
    await prepared?.close();
    await arxiv?.close();
  });

  test('/me in email mode without a session sends the reader to sign in', async () => {
    const page = await fetch(`${prepared.server.url}/me`, { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('Location'), '/sign-in');
  });

  test('no credentials, a malformed header, a wrong token and a revoked token are 401 on every route; nothing changes', async () => {
    const { id: carolId, token: revoked } = await readerWithToken(prepared, 'carol@example.org');
    assert.equal(await prepared.ctx.store.readers.revokeTokens(carolId, ['api']), 1);
    const credentials: Array<Record<string, string>> = [{}, { Authorization: 'Basic YWxpY2U6eA==' }, bearer(newSecret('api')), bearer('pst_short'), bearer(revoked)];
    for (const headers of credentials) {
      for (const [method, path, body] of [
        ['GET', '/me', undefined],
        ['GET', '/me/library', undefined],
        ['POST', '/me/library', { add: [stored[0]] }],
        ['POST', '/me/feedback', { paperId: stored[0], signal: 'save' }],
      ] as const) {
        const response = await fetchApi(`${base}${path}`, { method, headers: { ...headers, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
        assert.equal(response.status, 401, `${method} ${path} with ${JSON.stringify(headers)}`);
        assert.match(response.headers.get('WWW-Authenticate') ?? '', /^Bearer/);
      }
    }
    assert.deepEqual(await prepared.ctx.store.readers.library(carolId), []);
    assert.deepEqual(await prepared.ctx.store.readers.feedback(carolId), []);
  });

  test('a token names its reader; the library takes ids and URLs, fetches papers not stored yet, and reports unknown ids', async () => {
    const me = await fetchApi(`${base}/me`, { headers: bearer(alice.token) });
    assert.deepEqual(await me.json(), { id: alice.id, email: 'alice@example.org' });
    assert.equal(me.headers.get('Cache-Control'), 'private, no-store');

    const requestsBefore = arxiv.requests.length;
    const response = await fetchApi(`${base}/me/library`, postJson(alice.token, { add: [stored[0], `https://arxiv.org/abs/${stored[1]}v1`, `arXiv:${onArxivOnly}`, '2512.99999'] }));
    assert.equal(response.status, 200);
    const change = (await response.json()) as { added: string[]; already: string[]; unknown: string[]; removed: string[] };
    assert.deepEqual(change.added.sort(), [stored[0], stored[1], onArxivOnly].sort());
    assert.deepEqual(change.unknown, ['2512.99999']);
    assert.ok(arxiv.requests.length > requestsBefore, 'papers not stored were asked of arXiv');
    assert.ok(arxiv.requests.slice(requestsBefore).every((url) => !url.search.includes(stored[0]!)), 'stored papers were not asked for');

    const again = (await (await fetchApi(`${base}/me/library`, postJson(alice.token, { add: [stored[0]] }))).json()) as { added: string[]; already: string[] };
    assert.deepEqual(again, { added: [], already: [stored[0]], unknown: [], removed: [] });

    const library = (await (await fetchApi(`${base}/me/library`, { headers: bearer(alice.token) })).json()) as { items: Array<{ id: string; title: string; source: string }> };
    assert.deepEqual(library.items.map((i) => i.id).sort(), [stored[0], stored[1], onArxivOnly].sort());
    assert.ok(library.items.every((i) => i.title.length > 0 && i.source === 'arxiv'));
  });

  test("another reader cannot see, remove or overwrite a reader's library or feedback", async () => {
    await fetchApi(`${base}/me/library`, postJson(alice.token, { add: [stored[2]] }));
    await fetchApi(`${base}/me/feedback`, postJson(alice.token, { paperId: stored[2], signal: 'not-interested' }));
    const aliceBefore = await prepared.ctx.store.readers.library(alice.id);

    // Bob reads: his own, empty library, even right after Alice's answer for the same URL (no shared cache).
    await fetchApi(`${base}/me/library`, { headers: bearer(alice.token) });
    const bobs = (await (await fetchApi(`${base}/me/library`, { headers: bearer(bob.token) })).json()) as { reader: { id: string }; items: unknown[] };
    assert.equal(bobs.reader.id, bob.id);
    assert.deepEqual(bobs.items, []);
    // Bob removes Alice's items: nothing of his to remove, and Alice keeps hers.
    const removal = (await (await fetchApi(`${base}/me/library`, postJson(bob.token, { remove: aliceBefore.map((i) => i.itemId) }))).json()) as { removed: string[] };
    assert.deepEqual(removal.removed, []);
    assert.deepEqual(await prepared.ctx.store.readers.library(alice.id), aliceBefore);
    // Bob's signal on the same paper is his; Alice's stays.
    await fetchApi(`${base}/me/feedback`, postJson(bob.token, { paperId: stored[2], signal: 'save' }));
    assert.deepEqual((await prepared.ctx.store.readers.feedback(alice.id)).map((f) => [f.paperId, f.signal]), [[stored[2], 'not-interested']]);
    assert.deepEqual((await prepared.ctx.store.readers.feedback(bob.id)).map((f) => [f.paperId, f.signal]), [[stored[2], 'save']]);
    // A body naming a reader is refused (closed schema): what a request can name is papers.
    const smuggled = await fetchApi(`${base}/me/feedback`, postJson(bob.token, { paperId: stored[2], signal: 'save', readerId: alice.id }));
    assert.equal(smuggled.status, 400);
  });

  test('follows and keyword rules: include lifts and explains, exclude hides, an author must exist; only the reader is changed', async () => {
    type Personal = { papers: Array<{ id: string; title: string; personal: { why: string } }> };
    const hana = await readerWithToken(prepared, 'hana@example.org');
    const digestOf = async () => (await (await fetchApi(`${base}/me/digest`, { headers: bearer(hana.token) })).json()) as Personal;
    const before = await digestOf();
    // A word of the last paper's title that no other paper of the day has in its title: the rule lifts that paper.
    const last = before.papers.at(-1)!;
    const words = (t: string): string[] => t.toLowerCase().match(/[a-z]{6,}/g) ?? [];
    const others = new Set(before.papers.slice(0, -1).flatMap((p) => words(p.title)));
    const keyword = words(last.title).find((w) => !others.has(w));
    assert.ok(keyword, `a distinctive word in "${last.title}"`);
    const exclude = before.papers[0]!;
    const excludeWord = words(exclude.title).find((w) => !words(last.title).includes(w))!;
    const changed = await fetchApi(`${base}/me/follows`, postJson(hana.token, { add: [{ kind: 'include', value: keyword }, { kind: 'exclude', value: excludeWord }, { kind: 'category', value: 'cs.LG' }] }));
    assert.equal(changed.status, 200);
    const follows = ((await changed.json()) as { follows: Array<{ kind: string; value: string }> }).follows;
    assert.deepEqual(follows.map((f) => f.kind).sort(), ['category', 'exclude', 'include']);
    const after = await digestOf();
    const lifted = after.papers.findIndex((p) => p.id === last.id);
    assert.ok(lifted >= 0 && lifted < before.papers.length - 1, `the included paper rises (now ${lifted + 1} of ${after.papers.length})`);
    assert.match(after.papers[lifted]!.personal.why, new RegExp(`matches '${keyword}'`));
    assert.ok(!after.papers.some((p) => p.id === exclude.id), 'the excluded paper is hidden');
    // Bob follows nothing of this.
    assert.deepEqual(((await (await fetchApi(`${base}/me/follows`, { headers: bearer(bob.token) })).json()) as { follows: unknown[] }).follows, []);
    assert.equal((await fetchApi(`${base}/me/follows`, postJson(hana.token, { add: [{ kind: 'author', value: '2147480000' }] }))).status, 404);
    for (const bad of [{ add: [{ kind: 'mood', value: 'x' }] }, { add: [{ kind: 'topic', value: 'Cooking' }] }, { add: [{ kind: 'include', value: '' }] }, {}]) {
      assert.equal((await fetchApi(`${base}/me/follows`, postJson(hana.token, bad))).status, 400, JSON.stringify(bad));
    }
    const removed = await fetchApi(`${base}/me/follows`, postJson(hana.token, { remove: [{ kind: 'exclude', value: excludeWord }] }));
    assert.deepEqual(((await removed.json()) as { follows: Array<{ kind: string }> }).follows.map((f) => f.kind).sort(), ['category', 'include']);
    assert.ok((await digestOf()).papers.some((p) => p.id === exclude.id), 'back once the rule is removed');
  });

  test("a reader's library as citations: their papers only, in each format", async () => {
    const aliceItems = (await prepared.ctx.store.readers.library(alice.id)).map((i) => i.itemId);
    const bobItems = new Set((await prepared.ctx.store.readers.library(bob.id)).map((i) => i.itemId));
    assert.ok(aliceItems.length >= 2);
    const bib = await fetchApi(`${base}/me/library/citation?format=bibtex`, { headers: bearer(alice.token) });
    assert.equal(bib.status, 200);
    assert.equal(bib.headers.get('Cache-Control'), 'private, no-store');
    const text = await bib.text();
    for (const id of aliceItems) assert.match(text, new RegExp(`eprint = \\{${id.replace('.', '\\.')}\\}`), id);
    const csl = (await (await fetchApi(`${base}/me/library/citation?format=csl-json`, { headers: bearer(bob.token) })).json()) as Array<{ id: string; URL?: string }>;
    assert.equal(csl.length, bobItems.size, "Bob's export holds Bob's library");
    for (const id of aliceItems.filter((i) => !bobItems.has(i))) assert.ok(!JSON.stringify(csl).includes(id), `${id} is Alice's only`);
    assert.equal((await fetchApi(`${base}/me/library/citation`)).status, 401);
    assert.equal((await fetchApi(`${base}/me/library/citation?format=docx`, { headers: bearer(alice.token) })).status, 400);
  });

  test('feedback: save adds to the library, the latest signal counts, unknown papers are 404', async () => {
    const paper = stored[1]!;
    const saved = await fetchApi(`${base}/me/feedback`, postJson(bob.token, { paperId: paper, signal: 'save' }));
    assert.equal(saved.status, 200);
    assert.ok((await prepared.ctx.store.readers.library(bob.id)).some((i) => i.itemId === paper && i.source === 'save'));
    await fetchApi(`${base}/me/feedback`, postJson(bob.token, { paperId: paper, signal: 'not-interested' }));
    assert.equal((await prepared.ctx.store.readers.feedback(bob.id)).find((f) => f.paperId === paper)?.signal, 'not-interested');
    assert.equal((await fetchApi(`${base}/me/feedback`, postJson(bob.token, { paperId: '2512.99999', signal: 'save' }))).status, 404);
  });

  test("each reader's digest ranks the day by their own library; feedback changes the next ranking", async () => {
    type Personal = { date: string; papers: Array<{ id: string; title: string; personal: { score: number; why: string } }> };
    const latest = (await prepared.ctx.store.digests.historyWindow(7))[0]!;
    const day = (await prepared.ctx.store.dayLists.papersOf(latest, prepared.ctx.config.categories, 'x')).map((r) => r.id).sort();
    assert.ok(day.length >= 4, `${day.length} papers on ${latest}`);
    const eve = await readerWithToken(prepared, 'eve@example.org');
    const frank = await readerWithToken(prepared, 'frank@example.org');
    await fetchApi(`${base}/me/library`, postJson(eve.token, { add: [day[0]] }));
    await fetchApi(`${base}/me/library`, postJson(frank.token, { add: [day[day.length - 1]] }));
    const digestOf = async (token: string, query = '') => {
      const response = await fetchApi(`${base}/me/digest${query}`, { headers: bearer(token) });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Cache-Control'), 'private, no-store');
      return (await response.json()) as Personal;
    };
    const eves = await digestOf(eve.token);
    const franks = await digestOf(frank.token, `?date=${latest}`);
    assert.equal(eves.date, latest);
    assert.deepEqual(eves.papers.map((p) => p.id).sort(), day, "every paper of the day (no rules exclude any)");
    assert.notDeepEqual(eves.papers.map((p) => p.id), franks.papers.map((p) => p.id), 'different libraries, different rankings');
    for (const papers of [eves.papers, franks.papers]) {
      for (let i = 1; i < papers.length; i++) assert.ok(papers[i - 1]!.personal.score >= papers[i]!.personal.score, 'best first');
      assert.ok(papers.every((p) => p.personal.why.length > 0));
    }
    assert.match(eves.papers.find((p) => p.id === day[0])!.personal.why, /already in your library/);

    // Eve is not interested in her top pick outside the library: it goes down.
    const top = eves.papers.find((p) => p.id !== day[0])!;
    const rankBefore = eves.papers.findIndex((p) => p.id === top.id);
    await fetchApi(`${base}/me/feedback`, postJson(eve.token, { paperId: top.id, signal: 'not-interested' }));
    const after = await digestOf(eve.token);
    const rankAfter = after.papers.findIndex((p) => p.id === top.id);
    assert.ok(rankAfter === -1 || rankAfter > rankBefore, `a paper marked not interested is hidden or lower next time (was ${rankBefore}, now ${rankAfter})`);
    assert.deepEqual((await digestOf(frank.token)).papers.map((p) => p.id), franks.papers.map((p) => p.id), "Eve's feedback does not move Frank's ranking");

    assert.equal((await fetchApi(`${base}/me/digest?date=2001-01-01`, { headers: bearer(eve.token) })).status, 404);
    assert.equal((await fetchApi(`${base}/me/digest?date=yesterday`, { headers: bearer(eve.token) })).status, 400);
  });

  test("a reader's digest as feeds at a secret address; a new address retires the old one", async () => {
    const grace = await readerWithToken(prepared, 'grace@example.org');
    const latest = (await prepared.ctx.store.digests.historyWindow(7))[0]!;
    const first = (await prepared.ctx.store.dayLists.papersOf(latest, prepared.ctx.config.categories, 'x')).map((r) => r.id).sort()[1]!;
    await fetchApi(`${base}/me/library`, postJson(grace.token, { add: [first] }));
    const created = await fetchApi(`${base}/me/feeds`, { method: 'POST', headers: bearer(grace.token) });
    assert.equal(created.status, 200);
    const feeds = (await created.json()) as { rss: string; atom: string; json: string };
    assert.match(feeds.rss, /\/feeds\/me\/psf_[A-Za-z0-9_-]{43}\/digest\.rss$/);
    const mine = (await (await fetchApi(`${base}/me/digest`, { headers: bearer(grace.token) })).json()) as { papers: Array<{ id: string; title: string }> };
    for (const url of [feeds.rss, feeds.atom, feeds.json]) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('Cache-Control'), 'private, no-store');
      const body = await response.text();
      const at = (id: string) => body.indexOf(`/papers/${id}`);
      assert.ok(at(mine.papers[0]!.id) >= 0 && at(mine.papers[0]!.id) < at(mine.papers[1]!.id), 'in the reader\'s order');
      assert.match(body, /already in your library/);
    }
    const replaced = (await (await fetchApi(`${base}/me/feeds`, { method: 'POST', headers: bearer(grace.token) })).json()) as { rss: string };
    assert.notEqual(replaced.rss, feeds.rss);
    assert.equal((await fetch(feeds.rss)).status, 404, 'the old address no longer answers');
    assert.equal((await fetch(replaced.rss)).status, 200);
    assert.equal((await fetch(replaced.rss.replace(/psf_[^/]+/, 'psf_' + 'A'.repeat(43)))).status, 404);
    assert.equal((await fetch(replaced.rss.replace(/psf_[^/]+/, grace.token))).status, 404, 'an API token is not a feed address');
  });

  test('bad bodies are 400 JSON errors and change nothing', async () => {
    const before = await prepared.ctx.store.readers.library(bob.id);
    for (const body of ['not json', '[]', '{}', JSON.stringify({ add: ['../etc/passwd'] }), JSON.stringify({ add: [stored[0]], remove: ['nope'] }), JSON.stringify({ add: Array.from({ length: 501 }, (_, i) => `2606.${String(10000 + i)}`) }), JSON.stringify({ add: 'x' })]) {
      const response = await fetchApi(`${base}/me/library`, postJson(bob.token, body));
      assert.equal(response.status, 400, body.slice(0, 60));
    }
    for (const body of [{ paperId: stored[0], signal: 'love' }, { paperId: '<script>', signal: 'save' }, { signal: 'save' }]) {
      assert.equal((await fetchApi(`${base}/me/feedback`, postJson(bob.token, body))).status, 400, JSON.stringify(body));
    }
    assert.deepEqual(await prepared.ctx.store.readers.library(bob.id), before);
  });
});

describe('owner mode: one reader, no sign-in', () => {
  let prepared: Prepared;
  before(async () => {
    prepared = await startPreparedServer(2, {});
  });
  after(async () => prepared?.close());

  test('without credentials the owner is the reader; a token still names its own reader', async () => {
    assert.equal(prepared.ctx.config.auth, 'owner');
    const base = `${prepared.server.url}/api/v1`;
    const owner = (await (await fetchApi(`${base}/me`)).json()) as { id: string };
    assert.equal(owner.id, 'owner');
    const paper = (await prepared.ctx.store.db.selectFrom('papers').select('id').limit(1).executeTakeFirstOrThrow()).id;
    assert.equal((await fetchApi(`${base}/me/library`, postJson(null, { add: [paper] }))).status, 200);
    assert.deepEqual((await prepared.ctx.store.readers.library('owner')).map((i) => i.itemId), [paper]);
    const dana = await readerWithToken(prepared, 'dana@example.org');
    const mine = (await (await fetchApi(`${base}/me/library`, { headers: bearer(dana.token) })).json()) as { reader: { id: string }; items: unknown[] };
    assert.equal(mine.reader.id, dana.id);
    assert.deepEqual(mine.items, []);
    assert.equal((await fetchApi(`${base}/me`, { headers: bearer(newSecret('api')) })).status, 401, 'a wrong token is refused, not taken for the owner');
  });

  test("/me shows the owner's picks with their reasons, the library with its export links, and is never cached", async () => {
    const page = await fetch(`${prepared.server.url}/me`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('Cache-Control'), 'private, no-store');
    const html = await page.text();
    const [item] = await prepared.ctx.store.readers.library('owner');
    assert.ok(item, 'the library holds the paper added above');
    assert.match(html, /Your digest/);
    assert.match(html, /Why this paper: /);
    assert.ok(html.includes(`href="/papers/${item.itemId}"`));
    assert.ok(html.includes('/api/v1/me/library/citation?format=bibtex'));
    assert.equal((await fetch(`${prepared.server.url}/me?date=not-a-day`)).status, 400);
    assert.equal((await fetch(`${prepared.server.url}/me?date=2001-01-01`)).status, 404);
  });
});

describe("the cards' Save and Not interested buttons", () => {
  let prepared: Prepared;
  before(async () => {
    prepared = await startPreparedServer(2, {});
  });
  after(async () => prepared?.close());

  test('a form from a papersift page records the signal and returns to that page; another site, or no origin at all, is refused', async () => {
    const base = prepared.server.url;
    const digest = await (await fetch(`${base}/`)).text();
    const paper = /<input type="hidden" name="paper" value="([^"]+)"/.exec(digest)?.[1];
    assert.ok(paper, 'the digest cards carry the buttons');
    assert.match(digest, /<button type="submit" name="signal" value="not-interested">/);
    const post = (fields: Record<string, string>, headers: Record<string, string>) => fetch(`${base}/me/feedback`, { method: 'POST', body: new URLSearchParams(fields), headers, redirect: 'manual' });

    const saved = await post({ paper, signal: 'save' }, { Origin: base, Referer: `${base}/digest/2026-06-26?tag=x` });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('Location'), '/digest/2026-06-26?tag=x');
    assert.deepEqual((await prepared.ctx.store.readers.feedback('owner')).map((f) => [f.paperId, f.signal]), [[paper, 'save']]);
    assert.ok((await prepared.ctx.store.readers.library('owner')).some((i) => i.itemId === paper));
    assert.equal((await post({ paper, signal: 'not-interested' }, { 'Sec-Fetch-Site': 'same-origin', Referer: 'https://evil.example/x' })).headers.get('Location'), '/', 'never back to another site');
    assert.equal((await prepared.ctx.store.readers.feedback('owner'))[0]!.signal, 'not-interested');

    for (const headers of [{ Origin: 'https://evil.example' }, {}, { 'Sec-Fetch-Site': 'cross-site' }] as Array<Record<string, string>>) {
      assert.equal((await post({ paper, signal: 'save' }, headers)).status, 403, JSON.stringify(headers));
    }
    assert.equal((await prepared.ctx.store.readers.feedback('owner'))[0]!.signal, 'not-interested', 'refused forms changed nothing');
    assert.equal((await post({ paper, signal: 'love' }, { Origin: base })).status, 400);
    assert.equal((await post({ paper: '2512.99999', signal: 'save' }, { Origin: base })).status, 404);
  });
});
