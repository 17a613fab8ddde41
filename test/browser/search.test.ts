import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { guardPage, launchChromium, screenshot } from '../helpers/browser.ts';
import { startPreparedServer } from '../helpers/server.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let browser: Browser;

before(async () => {
  browser = await launchChromium();
  prepared = await startPreparedServer(30);
});
after(async () => {
  await browser?.close();
  await prepared?.close();
});

async function searchFromHeader(page: Page, text: string): Promise<void> {
  const box = page.getByRole('search').first().getByRole('searchbox', { name: 'Search papers' });
  await box.fill(text);
  await Promise.all([page.waitForURL(/\/search\?q=/), box.press('Enter')]);
}

async function seriousAxeViolations(page: Page): Promise<unknown[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP needs no exception for it.
  await page.evaluate(createRequire(import.meta.url)('axe-core').source as string);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('search from the header: highlighted matches, paging, a subscribe link, no accessibility problems', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { problems } = guardPage(page);
  await page.goto(prepared.server.url);
  const subscribe = page.getByRole('link', { name: 'Subscribe', exact: true });
  assert.equal(await subscribe.isVisible(), true, 'the digest shows a Subscribe link');
  assert.equal(await subscribe.getAttribute('href'), '/feeds/digest.rss');
  await searchFromHeader(page, 'learning');
  assert.match(page.url(), /\/search\?q=learning$/);
  const hits = page.locator('.search-hit');
  assert.equal(await hits.count(), 20);
  const marks = await page.locator('.search-hit mark').allInnerTexts();
  assert.ok(marks.length >= 20, `${marks.length} marked matches`);
  for (const mark of marks) assert.match(mark, /^learn/i, `"${mark}" is a match of "learning"`);
  assert.match(await page.locator('.search-summary').innerText(), /results for “learning”, 1–20 shown/);
  const feed = page.getByRole('link', { name: 'Subscribe to this search' });
  assert.equal(await feed.getAttribute('href'), '/feeds/search.rss?q=learning');
  assert.deepEqual(await seriousAxeViolations(page), []);
  await screenshot(page, 'search-desktop');
  const firstOnPage1 = await hits.first().getAttribute('data-paper-id');
  await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: 'Next page' }).click()]);
  assert.match(await page.locator('.search-summary').innerText(), /21–/);
  assert.notEqual(await page.locator('.search-hit').first().getAttribute('data-paper-id'), firstOnPage1);
  await Promise.all([page.waitForURL((url) => !url.searchParams.has('page')), page.getByRole('link', { name: 'Previous page' }).click()]);
  assert.equal(await page.locator('.search-hit').first().getAttribute('data-paper-id'), firstOnPage1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('filters narrow the results on a phone-width screen', async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
  const { problems } = guardPage(page);
  await page.goto(`${prepared.server.url}/search?q=learning`);
  const all = await page.locator('.search-summary').innerText();
  await page.getByLabel('Has code').check();
  await Promise.all([page.waitForURL(/code=1/), page.locator('.search-form button[type=submit]').click()]);
  const withCode = page.locator('.search-hit');
  assert.ok((await withCode.count()) > 0);
  for (const hit of await withCode.all()) assert.equal(await hit.locator('.badge-code').count(), 1, 'every hit has a code link');
  assert.notEqual(await page.locator('.search-summary').innerText(), all);
  const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (${width})`);
  await screenshot(page, 'search-phone');
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile queries show literally, run nothing and never fail the server', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { problems } = guardPage(page);
  const statuses: number[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/search')) statuses.push(response.status());
  });
  for (const hostile of ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', '"', 'AND OR NEAR(', 'NEAR(', "' OR 1=1 --"]) {
    await page.goto(prepared.server.url);
    await searchFromHeader(page, hostile);
    assert.equal(await page.locator('#search-q').inputValue(), hostile, 'the query is kept literally');
    const summary = await page.locator('.search-summary').innerText();
    assert.ok(summary.includes(`“${hostile}”`) || /No results/.test(summary), summary);
    assert.equal(await page.locator('.search-page script, .search-page img').count(), 0, 'no element from the query');
  }
  assert.ok(statuses.length >= 6 && statuses.every((s) => s === 200 || s === 400), `statuses ${statuses}`);
  await page.goto(`${prepared.server.url}/search?q=zzzqqqxxx`);
  assert.equal(await page.locator('.search-summary').innerText(), 'No results for “zzzqqqxxx”.');
  assert.deepEqual(problems, []);
  await page.close();
});
