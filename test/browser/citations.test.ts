/**
 * In real Chromium, under the strict CSP: the paper page's Highwire Press and Open Graph tags are in
 * the DOM as a reference manager reads them (document.querySelectorAll, the Zotero Connector's way),
 * the hostile title and names are text, and the Cite menu opens without script and offers the downloads.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { guardPage, launchChromium } from '../helpers/browser.ts';
import { onlyBackend } from '../helpers/database.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let browser: Browser;

before(async () => {
  browser = await launchChromium();
  prepared = await startPreparedServer(5);
});
after(async () => {
  await browser?.close();
  await prepared?.close();
});

test('paper page: citation and Open Graph tags in the DOM, the Cite menu opens without script and its links download each format', onlyBackend('sqlite', 'what the browser sees does not depend on the backend'), async () => {
  const page = await browser.newPage();
  const { problems } = guardPage(page);
  await page.goto(`${prepared.server.url}/papers/${HOSTILE_PAPER.record.id}`);
  type Meta = { getAttribute(name: string): string | null };
  const meta = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): Iterable<Meta> } }).document;
    return [...doc.querySelectorAll('meta[name^="citation_"], meta[property^="og:"]')].map((m) => [m.getAttribute('name') ?? m.getAttribute('property'), m.getAttribute('content')]);
  });
  const values = (name: string) => meta.filter(([n]) => n === name).map(([, v]) => v);
  assert.deepEqual(values('citation_title'), [HOSTILE_PAPER.record.title]);
  assert.deepEqual(values('citation_author'), HOSTILE_PAPER.record.authors.map((a) => a.name));
  assert.deepEqual(values('citation_arxiv_id'), [HOSTILE_PAPER.record.id]);
  assert.deepEqual(values('citation_publication_date'), ['2026/06/26']);
  assert.deepEqual(values('og:title'), [HOSTILE_PAPER.record.title]);
  // The hostile strings stayed text: no element of theirs in the head.
  assert.equal(await page.locator('head script, head svg, head img').count(), 0);

  const cite = page.locator('details.cite');
  assert.equal(await cite.locator('pre.bibtex').isVisible(), false);
  await cite.locator('summary').click();
  assert.equal(await cite.locator('pre.bibtex').isVisible(), true);
  assert.match(await cite.locator('pre.bibtex').innerText(), /^@misc\{onloadalert2026_2606\.99001,\n {2}title = \{Attention \\textless\{\}script/);
  for (const [label, type] of [['BibTeX', 'application/x-bibtex'], ['RIS', 'application/x-research-info-systems'], ['CSL-JSON', 'application/vnd.citationstyles.csl+json']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), cite.getByRole('link', { name: label }).click()]);
    assert.match(download.suggestedFilename(), /^papersift-2606\.99001\.(bib|ris|json)$/, label);
    const response = await fetch(new URL(download.url()));
    assert.equal(response.headers.get('content-type'), `${type}; charset=utf-8`, label);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
