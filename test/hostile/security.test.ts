/**
 * Security checks on the real server over loopback: request size limits, rate limiting of search and
 * the API (token bucket per client, 429 + Retry-After), the CSP on every kind of page and refusal,
 * and the admin routes refusing without or with a wrong token.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Hono } from 'hono';
import { rateLimit, MAX_BODY_BYTES } from '../../src/web/limits.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { checkApiAnswer, fetchApi, type ApiAnswer } from '../helpers/api-contract.ts';

const ADMIN_TOKEN = 'security-test-admin-token-42';
const BURST = 5;

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  // 60 a minute: one request a second once the burst of 5 is spent.
  prepared = await startPreparedServer(3, { ADMIN_TOKEN, PAPERSIFT_RATE_LIMIT_PER_MINUTE: '60', PAPERSIFT_RATE_LIMIT_BURST: String(BURST) });
  base = prepared.server.url;
});
after(() => prepared.close());

function assertCsp(response: Response, what: string): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/, `${what}: CSP default-src`);
  assert.match(csp, /script-src 'self'(;|$)/, `${what}: no inline or foreign script`);
  assert.match(csp, /object-src 'none'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
}

/** A POST with a chunked body of `size` bytes (no Content-Length), as a client streaming a large upload sends it. */
function postChunked(path: string, size: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(base + path);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked', Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may answer and close before the whole body is sent: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ status: 413, body: '{"error":{"status":413}}' }) : reject(error)));
    const chunk = Buffer.alloc(4096, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

test(`POST bodies over ${MAX_BODY_BYTES} bytes are refused with 413 before anything runs, with or without Content-Length`, async () => {
  const countRuns = async () => Number((await prepared.ctx.store.db.selectFrom('ingest_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const runsBefore = await countRuns();
  const big = 'x'.repeat(MAX_BODY_BYTES + 1);
  const headerSets: Array<Record<string, string>> = [{}, { Authorization: `Bearer ${ADMIN_TOKEN}` }];
  for (const headers of headerSets) {
    const response = await fetchApi(`${base}/admin/ingest`, { method: 'POST', headers, body: big });
    assert.equal(response.status, 413);
    assertCsp(response, '413');
    assert.deepEqual(await response.json(), { error: { status: 413, message: `request body too large: at most ${MAX_BODY_BYTES} bytes` } });
  }
  const chunked = await postChunked(`/admin/papers/${HOSTILE_PAPER.record.id}/resummarize`, 1024 * 1024, { Authorization: `Bearer ${ADMIN_TOKEN}` });
  assert.equal(chunked.status, 413, chunked.body);
  // A page route answers the refusal as a page.
  const page = await fetchApi(`${base}/search`, { method: 'POST', body: big });
  assert.ok(page.status === 413 || page.status === 404, `POST /search: ${page.status}`);
  await page.arrayBuffer();
  // A small body still reaches the token check.
  const small = await fetchApi(`${base}/admin/ingest`, { method: 'POST', body: 'x' });
  assert.equal(small.status, 401);
  await small.arrayBuffer();
  assert.equal(await countRuns(), runsBefore, 'no refused request started an ingest');
});

test('admin routes refuse without a token (401), with a wrong one of any length (403), and start nothing', async () => {
  const wrong = [ADMIN_TOKEN.replace(/.$/, 'x'), ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, 'x'.repeat(ADMIN_TOKEN.length), 'short', 'y'.repeat(4096)];
  for (const path of ['/admin/ingest', `/admin/papers/${HOSTILE_PAPER.record.id}/resummarize`]) {
    const none = await fetchApi(base + path, { method: 'POST' });
    assert.equal(none.status, 401, path);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assertCsp(none, `401 ${path}`);
    await none.arrayBuffer();
    for (const token of wrong) {
      const response = await fetchApi(base + path, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      assert.equal(response.status, 403, `${path} with a wrong token of ${token.length} characters`);
      assert.deepEqual(await response.json(), { error: { status: 403, message: 'wrong admin token' } });
    }
  }
  const paper = await prepared.ctx.store.db.selectFrom('papers').select('summary_status').where('id', '=', HOSTILE_PAPER.record.id).executeTakeFirstOrThrow();
  assert.equal(paper.summary_status, 'success', 'the paper was not sent back to the summariser');
});

test('search and the API are rate limited per client: a burst, then 429 with Retry-After, then one a second again', async () => {
  // The other tests of this file used some of the bucket; wait for a full one (5 tokens at 1 a second).
  await delay((BURST + 1) * 1000);
  const statuses: number[] = [];
  let limited: Response | undefined;
  // Plain fetch, the answers checked against the API's document at the end: checking them earlier
  // would spend the time in which the bucket refills.
  const answers: ApiAnswer[] = [];
  for (let i = 0; i < BURST + 3; i += 1) {
    const url = `${base}/api/v1/search?q=attention`;
    const response = await fetch(url);
    statuses.push(response.status);
    if (response.status === 429) limited ??= response;
    else answers.push({ method: 'GET', url, status: response.status, headers: response.headers, body: await response.text() });
  }
  assert.deepEqual(statuses.slice(0, BURST), Array(BURST).fill(200), `the burst passes: ${statuses}`);
  assert.ok(statuses.slice(BURST).every((s) => s === 429), `then 429: ${statuses}`);
  assert.ok(limited);
  assert.equal(limited.headers.get('retry-after'), '1', 'one token a second: retry in 1 s');
  assert.equal(limited.headers.get('cache-control'), 'no-store');
  assertCsp(limited, '429');
  const body = (await limited.json()) as { error: { status: number; message: string } };
  assert.equal(body.error.status, 429);
  assert.match(body.error.message, /too many requests: at most 60 a minute/);

  // The same bucket covers the search page (HTML refusal), other API routes and search feeds; the digest is not limited.
  const page = await fetchApi(`${base}/search?q=attention`);
  assert.equal(page.status, 429);
  assert.match(await page.text(), /^<!DOCTYPE html>[\s\S]*too many requests/);
  const api = await fetchApi(`${base}/api/v1/digest`);
  assert.equal(api.status, 429);
  await api.arrayBuffer();
  const feed = await fetchApi(`${base}/feeds/search.rss?q=attention`);
  assert.equal(feed.status, 429);
  await feed.arrayBuffer();
  // X-Forwarded-For is not trusted by default: a forged address does not get a fresh bucket.
  const forged = await fetchApi(`${base}/api/v1/search?q=attention`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  assert.equal(forged.status, 429);
  await forged.arrayBuffer();
  // Last, as rendering the digest may take longer than a token's second on a loaded machine (PostgreSQL: no page cache).
  const digest = await fetchApi(`${base}/`);
  assert.equal(digest.status, 200, 'pages other than search are not limited');
  await digest.arrayBuffer();

  await delay(1100);
  const again = await fetchApi(`${base}/api/v1/search?q=attention`);
  assert.equal(again.status, 200, 'after Retry-After, a request passes');
  await again.arrayBuffer();
  for (const answer of answers) checkApiAnswer(answer);
});

test('the token bucket: refills at the configured rate, never beyond the burst; separate clients behind a trusted proxy; 0 turns it off', async () => {
  let now = 0;
  const refuse = (c: Parameters<Parameters<typeof rateLimit>[1]>[0], status: 413 | 429 | 503, message: string) => c.json({ error: { status, message } }, status);
  const app = new Hono();
  app.use('*', rateLimit({ perMinute: 120, burst: 3, trustProxy: true, now: () => now }, refuse));
  app.get('/x', (c) => c.text('ok'));
  const get = async (client: string) => (await app.request('/x', { headers: { 'X-Forwarded-For': `10.0.0.1, ${client}` } })).status;

  assert.deepEqual([await get('a'), await get('a'), await get('a'), await get('a')], [200, 200, 200, 429]);
  assert.equal(await get('b'), 200, 'another client (last X-Forwarded-For entry) has its own bucket');
  now += 500; // 120 a minute: one token per 500 ms
  assert.deepEqual([await get('a'), await get('a')], [200, 429]);
  now += 60_000; // a long idle time refills to the burst, not beyond
  assert.deepEqual([await get('a'), await get('a'), await get('a'), await get('a')], [200, 200, 200, 429]);
  const limited = await app.request('/x', { headers: { 'X-Forwarded-For': 'a' } });
  assert.equal(limited.headers.get('retry-after'), '1');

  const off = new Hono();
  off.use('*', rateLimit({ perMinute: 0, burst: 1, trustProxy: false }, refuse));
  off.get('/x', (c) => c.text('ok'));
  for (let i = 0; i < 20; i += 1) assert.equal((await off.request('/x')).status, 200);
});

test('the CSP is in force on every page type, feed, API answer and refusal', async () => {
  const author = await prepared.ctx.store.db.selectFrom('authors').select('id').orderBy('id').executeTakeFirstOrThrow();
  const day = await prepared.ctx.store.db.selectFrom('announcements').select('announced_on').orderBy('announced_on', 'desc').executeTakeFirstOrThrow();
  // The rate limit is spent by the test before; give the limited routes a fresh bucket.
  await delay((BURST + 1) * 1000);
  const paths = [
    '/', `/digest/${day.announced_on}`, `/digest/${day.announced_on}/all`, '/digest/2026-02-30', '/digest/1999-01-01',
    `/papers/${HOSTILE_PAPER.record.id}`, '/papers/hep-th/9901001', `/authors/${author.id}`, '/authors/0', '/authors/999999',
    '/about/scores', '/search', '/search?q=attention', '/search?page=0', '/nowhere', '/?tag=nope',
    '/feeds/digest.atom', `/feeds/authors/${author.id}.json`, '/feeds/tags/nlp.rss', '/feeds/search.rss?q=x',
    '/api/v1/openapi.json', `/api/v1/papers/${HOSTILE_PAPER.record.id}`, '/api/v1/papers/abc', '/healthz', '/assets/style.css',
  ];
  for (const path of paths) {
    const response = await fetchApi(base + path);
    assert.ok(response.status < 500, `${path}: ${response.status}`);
    assertCsp(response, `${path} (${response.status})`);
    await response.arrayBuffer();
  }
});
