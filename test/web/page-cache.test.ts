import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { sql } from 'kysely';
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
  app.get('/slow-missing', async (c) => {
    renders += 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
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

test('requests arriving while a page is being built wait for that build instead of building it again', async () => {
  await day(20).execute(ctx.store);
  const start = renders;
  const answers = await Promise.all(Array.from({ length: 10 }, () => app.request('/slow')));
  assert.equal(renders - start, 1, 'ten concurrent misses, one build');
  const bodies = await Promise.all(answers.map((r) => r.text()));
  assert.ok(answers.every((r) => r.status === 200));
  assert.equal(new Set(bodies).size, 1, 'all ten are the one build');
  assert.equal(new Set(answers.map((r) => r.headers.get('etag'))).size, 1);

  // A waiter that sends the build's ETag gets its 304.
  const etag = answers[0]!.headers.get('etag')!;
  await day(21).execute(ctx.store);
  const [leader, revalidating] = await Promise.all([app.request('/slow'), app.request('/slow', { headers: { 'If-None-Match': etag } })]);
  assert.equal(renders - start, 2, 'after the write: one build again');
  assert.notEqual(leader.headers.get('etag'), etag);
  assert.equal(revalidating.status, 200, 'the new build has another ETag');
  assert.equal(await revalidating.text(), await leader.text());
  const again = await Promise.all([app.request('/slow'), app.request('/slow', { headers: { 'If-None-Match': leader.headers.get('etag')! } })]);
  assert.deepEqual(again.map((r) => r.status), [200, 304]);
  assert.equal(renders - start, 2);
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
