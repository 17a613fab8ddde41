import { SCORING_METHOD } from '../../src/domain/scoring.ts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { runFullPass } from '../../src/pipeline/run-pass.ts';
import { startWebServer, type RunningServer } from '../../src/web/server.ts';
import { enrichEnv, snapshotEnrichment } from '../enrich/fixtures.ts';
import { guardPage, launchChromium, screenshot } from '../helpers/browser.ts';
import { createTestContext, makeTempDir } from '../helpers/context.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';
import { bundledPapers, samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';

let browser: Browser;
let scholarly: ScholarlyServer;
let ctx: Awaited<ReturnType<typeof createTestContext>>;
let web: RunningServer;
const temp = makeTempDir();

before(async () => {
  browser = await launchChromium();
  scholarly = await startScholarlyServer(snapshotEnrichment());
  // A slice of the bundled snapshot plus every paper of the author the profile shows.
  const sample = await samplePapers(40);
  const ids = new Set(sample.map((p) => p.record.id));
  const extra = (await bundledPapers()).filter((p) => !ids.has(p.record.id) && p.record.authors.some((a) => a.name === 'Trung-Nghia Le'));
  ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: writeSnapshotFile(temp.dir, [...sample, ...extra]), ...enrichEnv(scholarly) });
  // A live pass: snapshot, search index, enrichment from the replay server, summaries, digests.
  const report = await runFullPass(ctx);
  assert.ok(report.enrich && 'papers' in report.enrich && report.enrich.semanticScholar.found >= 5, JSON.stringify(report.enrich));
  web = await startWebServer(ctx, { port: 0, host: '127.0.0.1' });
});
after(async () => {
  await browser?.close();
  await web?.close();
  await ctx?.close();
  await scholarly?.close();
  temp.cleanup();
});

test('a profile of a snapshot author, reached from a paper page, renders every field with its enrichment data and provenance', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { problems } = guardPage(page);
  await page.goto(`${web.url}/papers/2606.15867`);
  await page.locator('.authors').getByRole('link', { name: 'Trung-Nghia Le' }).click();
  await page.waitForURL(/\/authors\/\d+$/);

  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Trung-Nghia Le');
  assert.equal(await page.locator('[data-field="primary-category"]').innerText(), 'CV');
  assert.equal(await page.getByRole('link', { name: 'Semantic Scholar profile' }).getAttribute('href'), 'https://www.semanticscholar.org/author/91000005');
  assert.equal(await page.getByRole('link', { name: 'OpenAlex' }).getAttribute('href'), 'https://openalex.org/A5000000005');
  assert.equal(await page.getByRole('link', { name: /^ORCID/ }).getAttribute('href'), 'https://orcid.org/0000-0002-7363-2610');
  assert.equal(await page.locator('[data-field="unverified"]').count(), 0);

  const figure = (kind: string) => page.locator(`[data-figure="${kind}"]`);
  assert.equal(await figure('h-index').locator('dd.figure-value').innerText(), '21');
  assert.match(await figure('h-index').locator('.figure-source').innerText(), /^h-index 21 — Semantic Scholar, all publications, \d{4}-\d{2}-\d{2}$/);
  assert.equal(await figure('papers').locator('dd.figure-value').innerText(), '148');
  assert.equal(await figure('citations').locator('dd.figure-value').innerText(), '2,210');
  assert.match(await figure('citations').locator('.figure-source').innerText(), /Semantic Scholar, all publications/);
  // The first pass scores the snapshot: the profile's figures are the means over the listed papers'
  // scores, recomputed here from each paper's API card.
  const listed = await page.locator('.profile-paper').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-paper-id')));
  const cards = await Promise.all(listed.map(async (id) => (await (await fetch(`${web.url}/api/v1/papers/${id}`)).json()) as { scores: { novelty: number; aiScore: number } }));
  const mean = (values: number[]) => Math.round((values.reduce((a, v) => a + v, 0) / values.length) * 10) / 10;
  assert.equal(await figure('novelty').locator('dd.figure-value').innerText(), `${mean(cards.map((c) => c.scores.novelty))}%`);
  assert.equal(await figure('ai-score').locator('dd.figure-value').innerText(), `${mean(cards.map((c) => c.scores.aiScore))}`);
  assert.match(await figure('novelty').innerText(), new RegExp(`mean over ${listed.length} scored papers — papersift ${SCORING_METHOD}`));
  assert.match(await figure('ai-score').innerText(), new RegExp(`mean over ${listed.length} scored papers — papersift ${SCORING_METHOD}`));
  assert.match(await figure('listed-citations').innerText(), /^citations of the 5 papers listed — 16 \(Semantic Scholar, \d{4}-\d{2}-\d{2}\)$/);
  assert.match(await figure('listed-h-index').innerText(), /^h-index of the 5 papers listed — 3 /);

  assert.equal(await page.getByRole('heading', { level: 2, name: '5 Papers' }).count(), 1);
  const rows = page.locator('.profile-paper');
  assert.equal(await rows.count(), 5);
  const first = rows.first();
  assert.equal(await first.getAttribute('data-paper-id'), '2606.18553', 'newest first');
  assert.equal(await first.locator('.category').innerText(), 'CV');
  // "Jun 18" in 2026, "Jun 18, 2026" from the next year on.
  assert.equal(await first.locator('time').innerText(), new Date().getUTCFullYear() === 2026 ? 'Jun 18' : 'Jun 18, 2026');
  assert.equal(await first.getByRole('link', { name: 'Code' }).getAttribute('href'), 'https://github.com/mf0212/EVENTA-Challange');
  assert.match(await first.locator('.authors').innerText(), /^Minh-Loi Nguyen, Xuan-Vu Le, Long-Bao Nguyen et al\.$/);
  assert.ok((await first.locator('.abstract').innerText()).length > 100);
  const withInstitutions = page.locator('.profile-paper[data-paper-id="2606.15867"] .affiliations abbr');
  assert.deepEqual(await withInstitutions.allInnerTexts(), ['hcmus', 'seattle', 'vnu-hcm']);
  assert.equal(await withInstitutions.first().getAttribute('title'), 'University of Science Ho Chi Minh City', 'full name on hover');

  // A co-author's link leads to their own profile.
  await first.locator('.authors').getByRole('link', { name: 'Xuan-Vu Le' }).click();
  await page.waitForURL(/\/authors\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Xuan-Vu Le');
  await page.goBack();
  await screenshot(page, 'author-profile-desktop');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an unverified name-only profile says so, and the digest cards link authors to profiles', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const { problems } = guardPage(page);
  await page.goto(web.url);
  const link = page.locator('article.card .authors a.author').first();
  const href = await link.getAttribute('href');
  assert.match(href ?? '', /^\/authors\/\d+$/);
  const name = await link.innerText();
  await link.click();
  await page.waitForURL(/\/authors\/\d+$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), name);
  const id = Number(/\/authors\/(\d+)$/.exec(page.url())![1]);
  const row = await ctx.store.db.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const verified = row.semantic_scholar_id !== null || row.openalex_id !== null || row.orcid !== null;
  assert.equal(await page.locator('[data-field="unverified"]').count(), verified ? 0 : 1);
  assert.equal(await page.getByRole('link', { name: 'Semantic Scholar profile' }).count(), row.semantic_scholar_id ? 1 : 0);
  // Name-only: this one appearance, and figures saying no source knows them rather than zeros.
  if (!verified) {
    assert.equal(await page.locator('.profile-paper').count(), 1);
    assert.match(await page.locator('[data-figure="citations"]').innerText(), /citations of the papers listed: (none of the 1 paper listed found in Semantic Scholar|not looked up yet)/);
  }
  await screenshot(page, 'author-profile-phone');
  assert.deepEqual(problems, []);
  await page.close();
});
