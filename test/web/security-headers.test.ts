import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { startWebServer } from '../../src/web/server.ts';
import { createTestContext } from '../helpers/context.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer(2);
  base = prepared.server.url;
});
after(() => prepared.close());

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function assertSecure(response: Response, what: string) {
  const csp = directives(response.headers.get('content-security-policy') ?? '');
  assert.deepEqual(csp.get('default-src'), ["'self'"], `${what}: default-src`);
  assert.deepEqual(csp.get('script-src'), ["'self'"], `${what}: script-src allows no inline or foreign script`);
  assert.deepEqual(csp.get('style-src'), ["'self'"], `${what}: style-src`);
  assert.deepEqual(csp.get('object-src'), ["'none'"], `${what}: object-src`);
  assert.deepEqual(csp.get('base-uri'), ["'none'"], `${what}: base-uri`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors`);
  assert.deepEqual(csp.get('form-action'), ["'self'"], `${what}: form-action`);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', what);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
}

test('every kind of response carries the strict policy and the usual headers', async () => {
  const requests: Array<[string, RequestInit?]> = [
    ['/'],
    ['/digest/2026-06-17'],
    ['/digest/not-a-date'],
    [`/papers/${HOSTILE_PAPER.record.id}`],
    ['/papers/2606.00000'],
    ['/search?q=%3Cscript%3E'],
    ['/search?page=0&q=x'],
    ['/nowhere'],
    ['/assets/style.css'],
    ['/healthz'],
    ['/api/v1/digest'],
    ['/api/v1/search?q=x'],
    ['/api/v1/search'],
    ['/api/v1/nothing'],
    ['/api/v1/openapi.json'],
    ['/feeds/digest.rss'],
    ['/feeds/search.json?q=x'],
    ['/feeds/nothing.rss'],
    ['/admin/ingest', { method: 'POST' }],
    ['/', { method: 'HEAD' }],
  ];
  for (const [path, init] of requests) {
    const response = await fetchApi(base + path, init);
    assertSecure(response, `${init?.method ?? 'GET'} ${path} (${response.status})`);
    await response.arrayBuffer();
  }
  const first = await fetchApi(`${base}/`);
  await first.text();
  const notModified = await fetchApi(`${base}/`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
  assert.equal(notModified.status, 304);
  assertSecure(notModified, '304');
});

test('pages need no inline script or inline event handlers', async () => {
  for (const path of ['/', `/papers/${HOSTILE_PAPER.record.id}`, '/search?q=attention', '/search']) {
    const html = await (await fetchApi(base + path)).text();
    assert.ok(!/<script/i.test(html), `${path} has no script element`);
    // Quoted attribute values are data (hostile text may sit in one, escaped); attribute names are what run.
    const tags = html.replace(/"[^"]*"/g, '""').match(/<[a-zA-Z][^>]*>/g) ?? [];
    assert.deepEqual(tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag)), [], `${path} has no event handler attribute`);
  }
});

test('a failing request (500) carries the same headers and is not cached', async () => {
  const ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: 'off' });
  const server = await startWebServer(ctx, { port: 0, host: '127.0.0.1' });
  try {
    // A closed store makes every query throw: the error handler answers.
    await ctx.store.close();
    for (const path of ['/', '/api/v1/search?q=x', '/feeds/digest.rss']) {
      const response = await fetchApi(server.url + path);
      assert.equal(response.status, 500, path);
      assertSecure(response, `500 ${path}`);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      await response.arrayBuffer();
    }
  } finally {
    await server.close();
    // The store is already closed; a second close may refuse, and the temp dir goes either way.
    await ctx.close().catch(() => fs.rmSync(ctx.dir, { recursive: true, force: true }));
  }
});
