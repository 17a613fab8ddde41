import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Hono } from 'hono';
import { sql } from 'kysely';
import zlib from 'node:zlib';
import { seededRandom } from '../../src/seeded-random.ts';
import { httpCaching } from '../../src/web/caching.ts';
import { BEST_EFFORT_MIN_BYTES, pageCache } from '../../src/web/page-cache.ts';
import { createTestContext } from '../helpers/context.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let clock = 0;
let renders = 0;
let app: Hono;
/** A promise the test resolves (Node 20 has no Promise.withResolvers). */
function opened() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
let gate = opened();
let gatedStatus: 200 | 404 = 200;
const closeGate = () => (gate = opened());
/** Whether `promise` settles within `ms` (to tell an answer served at once from one waiting for a build). */
const settlesWithin = (promise: Promise<unknown> | Response, ms: number) =>
  Promise.race([Promise.resolve(promise).then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

before(async () => {
  // The cache keys on the store's generation: SQLite's connection figures, PostgreSQL's counter (migration 0010).
  ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: 'off' });
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
  const text = Array.from({ length: 12_000 }, () => words[Math.floor(random() * words.length)]).join(' ');
  app.get('/big', (c) => {
    renders += 1;
    return c.html(`<p>render ${renders}</p><p>${text}</p>`);
  });
  // Compressible but under the best-effort size: kept at brotli 5 only.
  const smallText = text.slice(0, 12_000);
  app.get('/small', (c) => c.html(`<p>${smallText}</p>`));
  app.get('/missing', (c) => {
    renders += 1;
    return c.html('<p>no</p>', 404);
  });
  // Slow builds (a timer between start and answer), so that requests overlap while one is being built.
  app.get('/slow', async (c) => {
    renders += 1;
    const n = renders;
    await new Promise((resolve) => setTimeout(resolve, 30));
    return c.html(`<p>slow render ${n}</p>`);
  });
  // Builds that end when the test opens the gate, so that it can send requests while one is running.
  app.get('/gated', async (c) => {
    renders += 1;
    const n = renders;
    await gate.promise;
    return gatedStatus === 200 ? c.html(`<p>gated render ${n}</p>`) : c.html('<p>gone</p>', gatedStatus);
  });
  app.get('/slow-missing', async (c) => {
    renders += 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
    return c.html('<p>no</p>', 404);
  });
});
after(async () => {
  await ctx?.close();
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

/** A write by another connection to the same database, as a CLI run or another server makes it. */
async function writeFromAnotherConnection(statement: string): Promise<void> {
  const target = ctx.config.database;
  if (target.dialect === 'sqlite') {
    const other = new Database(target.file);
    other.prepare(statement).run();
    other.close();
    return;
  }
  const other = new pg.Client({ connectionString: target.url });
  await other.connect();
  try {
    await other.query(statement);
  } finally {
    await other.end();
  }
}

test('a write through the server\'s connection or by another process renders the page anew', async () => {
  const before = await (await app.request('/page')).text();
  await day(1).execute(ctx.store.db);
  const afterOwnWrite = await (await app.request('/page')).text();
  assert.notEqual(afterOwnWrite, before, 'own write seen (SQLite: total_changes; PostgreSQL: the counter its commit bumped)');
  assert.equal(await (await app.request('/page')).text(), afterOwnWrite);

  // A CLI run or another server is another connection (SQLite: data_version moves; PostgreSQL: the same counter).
  await writeFromAnotherConnection("INSERT INTO announcement_days (announced_on, category, kind, checked_at) VALUES ('2026-06-02', 'cs.LG', 'announcement', '2026-06-01')");
  const afterOtherWrite = await (await app.request('/page')).text();
  assert.notEqual(afterOtherWrite, afterOwnWrite, 'other connection\'s commit seen');
  assert.equal(await (await app.request('/page')).text(), afterOtherWrite);

  // An update and a delete are writes too.
  await writeFromAnotherConnection("UPDATE announcement_days SET listed = 5 WHERE announced_on = '2026-06-02'");
  const afterUpdate = await (await app.request('/page')).text();
  assert.notEqual(afterUpdate, afterOtherWrite, 'an update seen');
  await writeFromAnotherConnection("DELETE FROM announcement_days WHERE announced_on = '2026-06-02'");
  assert.notEqual(await (await app.request('/page')).text(), afterUpdate, 'a delete seen');
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
  // A small page first: the background queue is one page at a time, so by the time the big one is
  // recompressed the small one would have been too, had it qualified.
  const small = Buffer.from(await (await app.request('/small', { headers: { 'Accept-Encoding': 'br' } })).arrayBuffer());
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
  assert.ok(body.byteLength >= BEST_EFFORT_MIN_BYTES && zlib.brotliDecompressSync(small).byteLength < BEST_EFFORT_MIN_BYTES);
  const smallLater = Buffer.from(await (await app.request('/small', { headers: { 'Accept-Encoding': 'br' } })).arrayBuffer());
  assert.ok(smallLater.equals(small), 'a page under the best-effort size keeps its brotli 5 body');
  const notModified = await app.request('/big', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etags[2]! } });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.get('etag'), etags[2]);
  assert.equal(notModified.headers.get('content-length'), null);
  assert.equal(notModified.headers.get('content-encoding'), null);
  assert.equal((await app.request('/big', { headers: { 'If-None-Match': etags[2]! } })).status, 200, 'the gzip tag does not name the identity body');
});

test('requests arriving while a page is being built wait for that build instead of building it again', async () => {
  await day(20).execute(ctx.store.db);
  const start = renders;
  const answers = await Promise.all(Array.from({ length: 10 }, () => app.request('/slow')));
  assert.equal(renders - start, 1, 'ten concurrent misses, one build');
  const bodies = await Promise.all(answers.map((r) => r.text()));
  assert.ok(answers.every((r) => r.status === 200));
  assert.equal(new Set(bodies).size, 1, 'all ten are the one build');
  assert.equal(new Set(answers.map((r) => r.headers.get('etag'))).size, 1);

});

test('while a page is rebuilt after a write, other requests get the previous page at once, for at most staleWhileRevalidateMs', async () => {
  gate.resolve();
  const v1 = await app.request('/gated');
  const v1Body = await v1.text();
  const v1Etag = v1.headers.get('etag')!;
  const start = renders;
  await day(21).execute(ctx.store.db);
  closeGate();
  // The first request after the write builds the new page and waits for it.
  const leader = app.request('/gated');
  assert.equal(await settlesWithin(leader, 100), false, 'the builder waits for its build');
  // Others are answered from the previous entry without waiting: 200 with it, or 304 on its ETag.
  const stale = app.request('/gated');
  assert.equal(await settlesWithin(stale, 1000), true, 'served while the build runs');
  assert.equal(await (await stale).text(), v1Body);
  const revalidated = await app.request('/gated', { headers: { 'If-None-Match': v1Etag } });
  assert.equal(revalidated.status, 304);
  // Past the bound (5 s after the entry went out of date) requests wait for the build and share it.
  clock += 5_001;
  const waiter = app.request('/gated', { headers: { 'If-None-Match': v1Etag } });
  assert.equal(await settlesWithin(waiter, 100), false, 'past the bound: waits for the build');
  gate.resolve();
  const [built, shared] = await Promise.all([leader, waiter]);
  assert.equal(renders - start, 1, 'one build for all of them');
  const v2Body = await built.text();
  assert.notEqual(v2Body, v1Body);
  assert.equal(shared.status, 200, 'the new page has another ETag');
  assert.equal(await shared.text(), v2Body);
  assert.notEqual(shared.headers.get('etag'), v1Etag);
  // And from then on the new page is a hit.
  assert.equal(await (await app.request('/gated')).text(), v2Body);
  assert.equal(renders - start, 1);
});

test('a rebuild that no longer answers 200 drops the previous page: it is never served stale again', async () => {
  gate.resolve();
  assert.equal((await app.request('/gated')).status, 200);
  await day(22).execute(ctx.store.db);
  gatedStatus = 404;
  try {
    assert.equal((await app.request('/gated')).status, 404, 'the rebuild answers 404');
    // With another build running, a request has no previous page to be served and waits for it.
    await day(23).execute(ctx.store.db);
    closeGate();
    const leader = app.request('/gated');
    const follower = app.request('/gated');
    assert.equal(await settlesWithin(follower, 100), false, 'no stale 200 for a page that is gone');
    gate.resolve();
    assert.deepEqual((await Promise.all([leader, follower])).map((r) => r.status), [404, 404]);
  } finally {
    gatedStatus = 200;
    gate.resolve();
  }
});

test('answers that are not kept are built per request, also when they overlap', async () => {
  const start = renders;
  const answers = await Promise.all(Array.from({ length: 4 }, () => app.request('/slow-missing')));
  assert.deepEqual(answers.map((r) => r.status), [404, 404, 404, 404]);
  assert.equal(renders - start, 4, 'a 404 is never shared');
});

test('one cache mounted on overlapping paths serves a request that matches both, once', async () => {
  const overlapping = new Hono();
  const cache = pageCache(ctx.store, { maxAgeMs: 60_000, now: () => clock });
  overlapping.use('/about', cache);
  overlapping.use('/about/*', cache);
  let built = 0;
  overlapping.get('/about', (c) => {
    built += 1;
    return c.html('<p>about</p>');
  });
  const answer = await Promise.race([overlapping.request('/about'), new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000))]);
  assert.ok(answer, 'answered (the cache does not wait for its own build)');
  assert.equal(answer.status, 200);
  await overlapping.request('/about');
  assert.equal(built, 1, 'the second request is a hit');
});

test('with no memory for it (PAPERSIFT_PAGE_CACHE_MB=0) the cache stands aside: every request renders', async () => {
  const uncached = new Hono();
  uncached.use('*', pageCache(ctx.store, { maxBytes: 0, now: () => clock }));
  let count = 0;
  uncached.get('/page', (c) => c.html(`<p>render ${(count += 1)}</p>`));
  assert.equal(await (await uncached.request('/page')).text(), '<p>render 1</p>');
  assert.equal(await (await uncached.request('/page')).text(), '<p>render 2</p>');
});
