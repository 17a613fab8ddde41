import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TAXONOMY } from '../../src/domain/taxonomy.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer();
  base = prepared.server.url;
});
after(() => prepared.close());

async function getJson(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetchApi(base + path);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/, `${path} answers JSON`);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

test('GET /api/v1/digest returns the latest day with its figures and full cards', async () => {
  const { status, body } = await getJson('/api/v1/digest');
  assert.equal(status, 200);
  assert.equal(body.date, '2026-06-26');
  assert.deepEqual(Object.keys(body.stats).sort(), ['daysOfHistory', 'papersAnnounced', 'papersToday', 'updateFrequencyHours']);
  assert.equal(body.stats.papersToday, body.papers.length);
  assert.equal(body.stats.updateFrequencyHours, 8);
  assert.equal(body.stats.daysOfHistory, 6);
  assert.ok(body.stats.papersAnnounced >= body.papers.length);
  assert.ok(body.papers.length >= 40, `${body.papers.length} cards`);
  // What arXiv listed that day (the recorded listing) and what is stored agree, and the next mailing is a weekday.
  assert.equal(body.announcement.shownDay.kind, 'announcement');
  assert.equal(body.announcement.shownDay.listed, body.announcement.shownDay.stored);
  assert.ok(body.announcement.shownDay.listed >= body.stats.papersAnnounced);
  assert.ok([1, 2, 3, 4, 5].includes(new Date(`${body.announcement.next.day}T12:00:00Z`).getUTCDay()));
  assert.ok(['announcement', 'weekend', 'holiday'].includes(body.announcement.todayKind));
  for (const card of body.papers) {
    for (const key of ['id', 'version', 'title', 'authors', 'primaryCategory', 'categories', 'published', 'updated', 'links', 'tags', 'highlights', 'sections', 'summarySource']) {
      assert.ok(key in card, `card has ${key}`);
    }
    assert.ok(card.authors.length > 0 && card.authors.every((a: { name: string }) => a.name.length > 0));
    assert.match(card.links.abs, /^https:\/\/arxiv\.org\/abs\//);
    assert.match(card.links.pdf, /^https:\/\/arxiv\.org\/pdf\//);
    assert.ok(card.tags.length >= 1 && card.tags.length <= 4, `${card.id} has ${card.tags.length} tags`);
    for (const tag of card.tags) assert.ok((TAXONOMY as readonly string[]).includes(tag), `${tag} is in the taxonomy`);
    assert.equal(card.highlights.length, 4);
    for (const section of ['summary', 'methodology', 'results', 'implications']) assert.ok(card.sections[section].trim().length > 0, `${card.id} ${section}`);
    assert.equal(card.summarySource.engine, 'offline');
  }
});

test('every highlight is a sentence, or a clean shortening of one, of that paper\'s abstract', async () => {
  const { body } = await getJson('/api/v1/digest?date=2026-06-16');
  assert.equal(body.date, '2026-06-16');
  for (const card of body.papers) {
    const { body: paper } = await getJson(`/api/v1/papers/${card.id}`);
    const abstract = normalise(paper.abstract);
    for (const highlight of card.highlights) {
      const text = normalise(highlight).replace(/[.!?]$/, '');
      assert.ok(text.length > 0);
      // A piece taken from inside a sentence starts with a capital letter on the card.
      const asWritten = (t: string) => abstract.includes(t) || abstract.includes(t.charAt(0).toLowerCase() + t.slice(1));
      assert.ok(asWritten(text), `highlight of ${card.id} comes from its abstract: "${highlight}"`);
    }
  }
});

test('GET /api/v1/papers/:id returns the card plus its abstract; unknown and malformed ids are JSON errors', async () => {
  const { body: digest } = await getJson('/api/v1/digest');
  const id = digest.papers[0].id;
  const found = await getJson(`/api/v1/papers/${id}`);
  assert.equal(found.status, 200);
  assert.equal(found.body.id, id);
  assert.ok(found.body.abstract.length > 50);
  assert.deepEqual(found.body.highlights, digest.papers[0].highlights);

  const unknown = await getJson('/api/v1/papers/2606.00000');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /no paper 2606\.00000/);
  const malformed = await getJson('/api/v1/papers/not-an-id');
  assert.equal(malformed.status, 400);
  assert.match(malformed.body.error.message, /arXiv id/);
});

test('bad and unknown digest dates are clear JSON errors', async () => {
  const bad = await getJson('/api/v1/digest?date=2026-13-45');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /YYYY-MM-DD/);
  const none = await getJson('/api/v1/digest?date=2026-06-20');
  assert.equal(none.status, 404);
  assert.match(none.body.error.message, /no digest for 2026-06-20/);
  const route = await getJson('/api/v1/nothing-here');
  assert.equal(route.status, 404);
});

test('GET /healthz reports the stored papers', async () => {
  const { status, body } = await getJson('/healthz');
  assert.equal(status, 200);
  assert.equal(body.status, 'ok');
  assert.ok(body.papers > 300);
});

test('the digest page names its date, shows the three figures and escapes hostile paper text', async () => {
  const response = await fetchApi(`${base}/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  const html = await response.text();
  assert.ok(html.startsWith('<!DOCTYPE html>'), 'a full HTML document');
  assert.ok(html.includes('Today&#39;s ML research, without the noise.'), 'the headline');
  assert.ok(html.includes('Friday, June 26, 2026'), 'the date it shows');
  for (const figure of ['papers today', 'update frequency', 'days of history']) assert.ok(html.includes(figure), figure);
  const paperHtml = await (await fetchApi(`${base}/papers/${HOSTILE_PAPER.record.id}`)).text();
  assert.ok(!paperHtml.includes('<script>alert'), 'no script tag from paper text');
  assert.ok(!paperHtml.includes('<img src=x'), 'no img tag from paper text');
  assert.ok(!paperHtml.includes('<svg onload'), 'no svg tag from author names');
  assert.ok(paperHtml.includes('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;') || paperHtml.includes('&lt;script&gt;alert("title")&lt;/script&gt;'));
});

test('an earlier day has its own page; malformed and unknown days answer 400 and 404', async () => {
  const earlier = await fetchApi(`${base}/digest/2026-06-17`);
  assert.equal(earlier.status, 200);
  assert.ok((await earlier.text()).includes('Wednesday, June 17, 2026'), 'the earlier date');
  assert.equal((await fetchApi(`${base}/digest/yesterday`)).status, 400);
  assert.equal((await fetchApi(`${base}/digest/2026-06-20`)).status, 404);
});
