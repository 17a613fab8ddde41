import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { sql } from 'kysely';
import zlib from 'node:zlib';
import { seededRandom } from '../../src/seeded-random.ts';
import { httpCaching } from '../../src/web/caching.ts';
import { pageCache } from '../../src/web/page-cache.ts';
import { createTestContext, makeTempDir } from '../helpers/context.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let sqliteDir: ReturnType<typeof makeTempDir>;
let clock = 0;
let renders = 0;
let app: Hono;

before(async () => {
  // The cache keys on SQLite's generation (on PostgreSQL it stands aside): always a SQLite file here.
  sqliteDir = makeTempDir();
  ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: 'off', DATABASE_URL: path.join(sqliteDir.dir, 'papersift.db') });
  app = new Hono();
  // The same order as createApp: the cache outside the ETag middleware.
  app.use('*', pageCache(ctx.store, { maxAgeMs: 60_000, now: () => clock }));
  app.use('*', httpCaching());
  app.get('/page', (c) => {
    renders += 1;
    return c.html(`<p>render ${renders}</p>`);
  });
  // A page worth compressing: words in a seeded random order (brotli 11 beats brotli 5 on it).
  const random = seededRandom(7);
  const words = ['digest', 'paper', 'novelty', 'attention', 'score', 'transformer', 'benchmark', 'graph', 'diffusion', 'agent'];
  const text = Array.from({ length: 5_000 }, () => words[Math.floor(random() * words.length)]).join(' ');
  app.get('/big', (c) => {
    renders += 1;
    return c.html(`<p>render ${renders}</p><p>${text}</p>`);
  });
  app.get('/missing', (c) => {
    renders += 1;
    return c.html('<p>no</p>', 404);
  });
});
after(async () => {
  await ctx?.close();
  sqliteDir?.cleanup();
});

const day = (n: number) => sql`INSERT INTO announcement_days (announced_on, category, kind, checked_at) VALUES (${`2026-06-${String(n).padStart(2, '0')}`}, 'cs.LG', 'announcement', '2026-06-01')`;

test('a page is rendered once per store generation, served with its ETag, 304 on a match', async () => {
  const start = renders;
  const first = await app.request('/page');
  const second = await app.request('/page');
  assert.equal(await second.text(), await first.text());
  assert.equal(renders - start, 1, 'the second request is served from the cache');
  const etag = first.headers.get('etag');
  assert.ok(etag);
  assert.equal(second.headers.get('etag'), etag);
  assert.equal(second.headers.get('cache-control'), first.headers.get('cache-control'));
  const revalidated = await app.request('/page', { headers: { 'If-None-Match': etag } });
  assert.equal(revalidated.status, 304);
  assert.equal(renders - start, 1);
  // Another query string is another page.
  await app.request('/page?tag=x');
  assert.equal(renders - start, 2);
});

test('a write through the server\'s connection or by another process renders the page anew', async () => {
  const before = await (await app.request('/page')).text();
  await day(1).execute(ctx.store);
  const afterOwnWrite = await (await app.request('/page')).text();
  assert.notEqual(afterOwnWrite, before, 'own write seen (total_changes)');
  assert.equal(await (await app.request('/page')).text(), afterOwnWrite);

  // A CLI run on the same file is another connection: SQLite's data_version moves.
  const other = new Database(path.join(sqliteDir.dir, 'papersift.db'));
  other.prepare("INSERT INTO announcement_days (announced_on, category, kind, checked_at) VALUES ('2026-06-02', 'cs.LG', 'announcement', '2026-06-01')").run();
  other.close();
  const afterOtherWrite = await (await app.request('/page')).text();
  assert.notEqual(afterOtherWrite, afterOwnWrite, 'other connection\'s commit seen (data_version)');
});

test('entries expire with the clock, and only 200 responses are kept', async () => {
  const first = await (await app.request('/page')).text();
  clock += 59_000;
  assert.equal(await (await app.request('/page')).text(), first);
  clock += 2_000;
  assert.notEqual(await (await app.request('/page')).text(), first, 'older than a minute: rendered again');
  const start = renders;
  assert.equal((await app.request('/missing')).status, 404);
  assert.equal((await app.request('/missing')).status, 404);
  assert.equal(renders - start, 2);
});

test('a kept page is served in every coding from one render, br recompressed at the best effort in the background', async () => {
  const start = renders;
  const identity = await app.request('/big');
  const body = Buffer.from(await identity.arrayBuffer());
  assert.equal(identity.headers.get('content-encoding'), null);
  assert.equal(identity.headers.get('vary'), 'Accept-Encoding');
  const fast = await app.request('/big', { headers: { 'Accept-Encoding': 'br' } });
  assert.equal(fast.headers.get('content-encoding'), 'br');
  const fastBytes = Buffer.from(await fast.arrayBuffer());
  assert.ok(zlib.brotliDecompressSync(fastBytes).equals(body));
  const gzip = await app.request('/big', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.ok(zlib.gunzipSync(Buffer.from(await gzip.arrayBuffer())).equals(body));
  assert.equal(renders - start, 1, 'one render for all three codings');
  const etags = [identity, fast, gzip].map((r) => r.headers.get('etag'));
  assert.equal(new Set(etags).size, 3);
  // The brotli 11 body replaces the brotli 5 one once ready; same content, same (weak) ETag.
  let best = fastBytes;
  // A fraction of a second of a core; on a loaded machine it may take many times that.
  for (const until = Date.now() + 30_000; best.byteLength >= fastBytes.byteLength && Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await app.request('/big', { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(again.headers.get('etag'), etags[1]);
    best = Buffer.from(await again.arrayBuffer());
    assert.equal(Number(again.headers.get('content-length')), best.byteLength);
  }
  assert.ok(best.byteLength < fastBytes.byteLength, `brotli 11 (${best.byteLength} bytes) is smaller than brotli 5 (${fastBytes.byteLength} bytes)`);
  assert.ok(zlib.brotliDecompressSync(best).equals(body));
  assert.equal(renders - start, 1);
  const notModified = await app.request('/big', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etags[2]! } });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.get('etag'), etags[2]);
  assert.equal(notModified.headers.get('content-length'), null);
  assert.equal(notModified.headers.get('content-encoding'), null);
  assert.equal((await app.request('/big', { headers: { 'If-None-Match': etags[2]! } })).status, 200, 'the gzip tag does not name the identity body');
});
