/**
 * Scores end to end: the real pipeline over real snapshot papers, a real server on loopback. Every
 * paper has both scores after a pass, cards carry them with a reason, the digests keep their size and
 * diversity limits, and the score pages explain and list them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { getDayPapers } from '../../src/digest/day-papers.ts';
import { SCORING_METHOD, SELECTION_METHOD, selectionFiguresSchema } from '../../src/domain/scoring.ts';
import { DayPapersPage } from '../../src/web/pages/day-papers-page.tsx';
import { perTagLimit } from '../../src/select/select-digest.ts';
import { RUBRIC_CRITERIA } from '../../src/domain/rubric.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base = '';
before(async () => {
  prepared = await startPreparedServer();
  ({ url: base } = prepared.server);
}, { timeout: 120_000 });
after(() => prepared?.close());

test('after a full pass every paper in the store has both scores of the current method', async () => {
  const { store } = prepared.ctx;
  const papers = await store.db.selectFrom('papers').select(['id', 'latest_version']).execute();
  const scores = await store.db.selectFrom('scores').select(['paper_id', 'version', 'novelty', 'ai_score']).where('method_version', '=', SCORING_METHOD).execute();
  const scored = new Map(scores.map((s) => [`${s.paper_id}v${s.version}`, s]));
  assert.ok(papers.length > 400);
  for (const p of papers) {
    const s = scored.get(`${p.id}v${p.latest_version}`);
    assert.ok(s && s.novelty !== null && s.ai_score !== null, `${p.id} has both scores`);
  }
});

test('API cards carry scores and a reason; digests keep their size and tag-share limits and show a paper once', async () => {
  const { config, store } = prepared.ctx;
  const latest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { days: string[] };
  const seen = new Map<string, string>();
  for (const day of latest.days) {
    const digest = (await (await fetchApi(`${base}/api/v1/digest?date=${day}`)).json()) as {
      papers: Array<{ id: string; tags: string[]; scores: { novelty: number; aiScore: number }; why: string }>;
    };
    assert.ok(digest.papers.length > 0 && digest.papers.length <= config.digestSize, `${day}: ${digest.papers.length} cards`);
    const perTag = new Map<string, number>();
    for (const card of digest.papers) {
      assert.deepEqual(Object.keys(card.scores).sort(), ['aiScore', 'novelty']);
      assert.ok(card.scores.novelty >= 0 && card.scores.novelty <= 100 && card.scores.aiScore >= 0 && card.scores.aiScore <= 100);
      assert.match(card.why, new RegExp(`AI Score ${Math.round(card.scores.aiScore)} \\(\\d+(st|nd|rd|th) of \\d+ today\\), Novelty ${Math.round(card.scores.novelty)} %`));
      for (const tag of card.tags) perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
      assert.ok(!seen.has(card.id), `${card.id} is in the digests of ${seen.get(card.id)} and ${day}`);
      seen.set(card.id, day);
    }
    const limit = perTagLimit(config.digestSize, config.maxTagShare);
    for (const [tag, n] of perTag) assert.ok(n <= limit, `${day}: ${n} cards tagged ${tag}, limit ${limit}`);
  }
  const stored = await store.db.selectFrom('digest_entries').select('paper_id').execute();
  assert.equal(stored.length, seen.size);
});

test('/about/scores documents both scores, the selection model with its cross-validated figures, and the selection', async () => {
  const response = await fetchApi(`${base}/about/scores`);
  assert.equal(response.status, 200);
  const html = await response.text();
  const figures = selectionFiguresSchema.parse(JSON.parse(readFileSync(new URL('../../assets/models/selection-figures.json', import.meta.url), 'utf8')));
  const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;
  for (const text of [
    'Novelty %',
    'AI Score',
    'distance = 1 − mean similarity',
    'logistic regression',
    'Platt scaling',
    SCORING_METHOD,
    SELECTION_METHOD,
    'previous 30 days',
    'results with numbers',
    'author track record',
    // The figures the trainer wrote, model and baselines, as the page states them.
    percent(figures.selectionModel.recall),
    percent(figures.random.recall),
    percent(figures.mostAuthors.recall),
    percent(figures.heuristic.recall),
    `${figures.days} announcement days`,
    ...RUBRIC_CRITERIA,
  ]) {
    assert.ok(html.includes(text), `the page explains "${text}"`);
  }
});

test('/digest/YYYY-MM-DD/all lists every paper of the day with its scores, escaped', async () => {
  const digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { date: string; stats: { papersAnnounced: number }; papers: Array<{ id: string }> };
  const response = await fetchApi(`${base}/digest/${digest.date}/all`);
  assert.equal(response.status, 200);
  const html = await response.text();
  const rows = [...html.matchAll(/<tr data-paper-id="([^"]+)">/g)].map((m) => m[1]!);
  assert.ok(rows.length >= digest.stats.papersAnnounced, `${rows.length} rows, ${digest.stats.papersAnnounced} announced`);
  assert.equal(new Set(rows).size, rows.length);
  for (const card of digest.papers) assert.ok(rows.includes(card.id), `${card.id} of the digest is listed`);
  assert.equal((html.match(/data-score="novelty">\d+</g) ?? []).length, rows.length, 'every row shows its Novelty %');
  assert.ok(rows.includes(HOSTILE_PAPER.record.id));
  assert.ok(!html.includes('<script>alert'), 'hostile titles are escaped');
  assert.equal((await fetchApi(`${base}/digest/2020-01-01/all`)).status, 404);
  assert.equal((await fetchApi(`${base}/digest/yesterday/all`)).status, 400);
});

test('a day\'s list comes a page at a time: the pages together are the whole list in order, each linked to the next', async () => {
  const { config, store } = prepared.ctx;
  const digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { date: string };
  const query = { date: digest.date, historyDays: config.historyDays, categories: config.categories };
  const whole = await getDayPapers(store, { ...query, pageSize: 100_000 });
  assert.ok(whole.total > 20 && whole.pages === 1 && whole.papers.length === whole.total);
  const pageSize = 7;
  const first = await getDayPapers(store, { ...query, pageSize });
  assert.equal(first.pages, Math.ceil(whole.total / pageSize));
  const pages = [first];
  for (let page = 2; page <= first.pages; page += 1) pages.push(await getDayPapers(store, { ...query, pageSize, page }));
  assert.deepEqual(pages.flatMap((p) => p.papers.map((paper) => paper.id)), whole.papers.map((paper) => paper.id), 'the same papers in the same order');
  assert.ok(pages.every((p) => p.total === whole.total && p.selected === whole.selected && p.selected > 0));
  assert.equal((await getDayPapers(store, { ...query, pageSize, page: 10_000 })).page, first.pages, 'past the last page: the last');

  const second = String(await (DayPapersPage({ day: pages[1]!, latest: true }) as unknown as Promise<string>));
  assert.ok(second.includes(`href="/digest/${digest.date}/all" rel="prev"`), 'page 2 links back to the first');
  assert.ok(second.includes(`href="/digest/${digest.date}/all?page=3" rel="next"`));
  assert.ok(second.includes(`<td>${pageSize + 1}</td>`), 'rows are numbered across pages');
  assert.ok(second.includes(`Page 2 of ${first.pages}`));
  const single = await (await fetchApi(`${base}/digest/${digest.date}/all?page=2`)).text();
  assert.ok(!single.includes('class="pagination"'), 'an ordinary day is one page');
  assert.equal([...single.matchAll(/<tr data-paper-id=/g)].length, whole.total, 'a page past the last shows the last (here the only) one');
  assert.equal((await fetchApi(`${base}/digest/${digest.date}/all?page=0`)).status, 400);
  assert.equal((await fetchApi(`${base}/digest/${digest.date}/all?page=x`)).status, 400);
});

test('the paper page names the closest prior papers it was compared with', async () => {
  const digest = (await (await fetchApi(`${base}/api/v1/digest`)).json()) as { papers: Array<{ id: string }> };
  const id = digest.papers[0]!.id;
  const detail = (await (await fetchApi(`${base}/api/v1/papers/${id}`)).json()) as { scoreDetails: { novelty: { closest: Array<{ id: string; title: string }> } } };
  const closest = detail.scoreDetails.novelty.closest;
  assert.equal(closest.length, 5);
  const html = await (await fetchApi(`${base}/papers/${id}`)).text();
  assert.match(html, /Closest prior papers/);
  for (const c of closest) assert.ok(html.includes(`href="/papers/${c.id}"`), `links ${c.id}`);
  assert.match(html, /Novelty \d+ %/);
  assert.match(html, /AI Score \d+/);
});
