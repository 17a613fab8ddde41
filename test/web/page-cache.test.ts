import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { httpCaching } from '../../src/web/caching.ts';
import { pageCache } from '../../src/web/page-cache.ts';
import { createTestContext, makeTempDir } from '../helpers/context.ts';
import { onlyBackend } from '../helpers/database.ts';

const SQLITE_ONLY = onlyBackend('sqlite', "the page cache keys on SQLite's data_version/total_changes; on PostgreSQL it stands aside (the last test)");

let ctx: Awaited<ReturnType<typeof createTestContext>>;
let sqliteDir: ReturnType<typeof makeTempDir>;
let clock = 0;
let renders = 0;
let app: Hono;

before(async () => {
  if (SQLITE_ONLY.skip) return;
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
});
after(async () => {
  await ctx?.close();
  sqliteDir?.cleanup();
});

const day = (n: number) => sql`INSERT INTO announcement_days (announced_on, category, kind, checked_at) VALUES (${`2026-06-${String(n).padStart(2, '0')}`}, 'cs.LG', 'announcement', '2026-06-01')`;

test('a page is rendered once per store generation, served with its ETag, 304 on a match', SQLITE_ONLY, async () => {
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

test('a write through the server\'s connection or by another process renders the page anew', SQLITE_ONLY, async () => {
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

test('entries expire with the clock, and only 200 responses are kept', SQLITE_ONLY, async () => {
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

const POSTGRES_ONLY = onlyBackend('postgres', 'the PostgreSQL side of the page cache: it stands aside');

test('on PostgreSQL the cache stands aside: every request renders, so another process\'s write is never hidden', POSTGRES_ONLY, async () => {
  const pg = await createTestContext({ PAPERSIFT_SNAPSHOT: 'off' });
  try {
    let count = 0;
    const pgApp = new Hono();
    pgApp.use('*', pageCache(pg.store, { maxAgeMs: 60_000, now: () => 0 }));
    pgApp.get('/page', (c) => c.html(`<p>render ${(count += 1)}</p>`));
    assert.equal(await (await pgApp.request('/page')).text(), '<p>render 1</p>');
    assert.equal(await (await pgApp.request('/page')).text(), '<p>render 2</p>');
  } finally {
    await pg.close();
  }
});
