import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { guardPage, launchChromium, screenshot } from '../helpers/browser.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let browser: Browser;

before(async () => {
  browser = await launchChromium();
  prepared = await startPreparedServer();
});
after(async () => {
  await browser?.close();
  await prepared?.close();
});

test('the digest opens, "Read more" reveals the four sections, without any script', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(prepared.server.url);
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: "Today's ML research, without the noise." }).waitFor());
  const cards = page.locator('article.card');
  assert.ok((await cards.count()) >= 40, `${await cards.count()} cards`);
  const first = cards.first();
  assert.equal(await first.locator('.highlights li').count(), 4);
  for (const heading of ['Summary', 'Methodology', 'Results', 'Implications']) {
    assert.equal(await first.getByRole('heading', { name: heading }).isVisible(), false, `${heading} hidden before Read more`);
  }
  await first.getByText('Read more').click();
  for (const heading of ['Summary', 'Methodology', 'Results', 'Implications']) {
    assert.equal(await first.getByRole('heading', { name: heading }).isVisible(), true, `${heading} visible after Read more`);
    const text = await first.locator(`[data-section="${heading.toLowerCase()}"] p`).innerText();
    assert.ok(text.trim().length > 20, `${heading} has text`);
  }
  await screenshot(page, 'digest-desktop-read-more');
  await context.close();
});

test('day navigation and topic filters work in the browser', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const { problems } = guardPage(page);
  await page.goto(prepared.server.url);
  await page.getByRole('navigation', { name: 'Announcement days' }).getByRole('link', { name: 'Jun 17' }).click();
  await page.waitForURL(/\/digest\/2026-06-17$/);
  assert.match(await page.locator('.digest-date').innerText(), /June 17, 2026/);
  const filter = page.getByRole('navigation', { name: 'Filter by topic' }).getByRole('link').nth(1);
  const tag = (await filter.innerText()).trim();
  await filter.click();
  await page.waitForURL(/\?tag=/);
  const cards = page.locator('article.card');
  assert.ok((await cards.count()) > 0);
  for (const card of await cards.all()) assert.ok((await card.locator('.tags').innerText()).includes(tag), `every card carries ${tag}`);
  await screenshot(page, 'digest-phone-filtered');
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile paper text shows literally and executes nothing; no serious accessibility violations', async () => {
  const page = await browser.newPage();
  const { problems } = guardPage(page);
  await page.goto(`${prepared.server.url}/papers/${HOSTILE_PAPER.record.id}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), HOSTILE_PAPER.record.title);
  assert.ok((await page.locator('.authors').innerText()).includes('Mallory <svg onload=alert(4)>'));
  await page.goto(prepared.server.url);
  // Evaluated through the DevTools protocol, so the page's strict CSP needs no exception for it.
  await page.evaluate(createRequire(import.meta.url)('axe-core').source as string);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], JSON.stringify(serious));
  assert.deepEqual(problems, []);
  await page.close();
});
