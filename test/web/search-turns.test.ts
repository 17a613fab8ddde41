/**
 * Searches take turns (limits.ts concurrencyLimit, wired in app.tsx): at most N run at once, the rest
 * wait first come first served in a bounded queue, overload is refused at once with 503 and Retry-After,
 * and work for a client that went away is dropped, waiting or mid-search.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { searchPapers, SearchAbandonedError } from '../../src/digest/search.ts';
import { openStore } from '../../src/store/store.ts';
import { createApp } from '../../src/web/app.tsx';
import { concurrencyLimit, requestSignal, type Refuse } from '../../src/web/limits.ts';
import { startWebServer } from '../../src/web/server.ts';
import { onlyBackend } from '../helpers/database.ts';
import { startPreparedServer } from '../helpers/server.ts';

const refuse: Refuse = (c, status, message) => c.json({ error: { status, message } }, status);

/** An app whose one route runs until the test releases it, recording the order requests started in. */
function heldRoute(options: Parameters<typeof concurrencyLimit>[0]) {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const app = new Hono();
  app.use('/work', concurrencyLimit(options, refuse));
  app.get('/work', async (c) => {
    const id = c.req.query('id')!;
    started.push(id);
    await new Promise<void>((resolve) => releases.set(id, resolve));
    return c.text(`done ${id}`);
  });
  const release = async (id: string) => {
    // A request that was admitted reaches the handler within a few turns of the event loop.
    for (let i = 0; i < 100 && !releases.has(id); i += 1) await new Promise((resolve) => setImmediate(resolve));
    const done = releases.get(id);
    assert.ok(done, `request ${id} never started`);
    done();
  };
  return { app, started, release };
}

/** A few turns of the event loop: enough for admitted requests to reach their handler (the limit yields once first). */
const settled = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

test('at most maxActive run at once; the others wait first come first served; past the queue, 503 with Retry-After at once', async () => {
  const { app, started, release } = heldRoute({ maxActive: 2, maxQueued: 2, maxWaitMs: 60_000 });
  const requests = ['a', 'b', 'c', 'd'].map((id) => app.request(`/work?id=${id}`));
  await settled();
  assert.deepEqual(started, ['a', 'b'], 'two run, two wait');

  const refused = await app.request('/work?id=e');
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(refused.headers.get('cache-control'), 'no-store');
  assert.match(((await refused.json()) as { error: { message: string } }).error.message, /busy: 2 running and 2 waiting/);
  assert.deepEqual(started, ['a', 'b'], 'the refused request did no work');

  await release('b');
  await settled();
  assert.deepEqual(started, ['a', 'b', 'c'], 'a finished request hands its turn to the first waiter');
  await release('a');
  await release('c');
  await release('d');
  const answers = await Promise.all(requests);
  assert.deepEqual(await Promise.all(answers.map((r) => r.text())), ['done a', 'done b', 'done c', 'done d']);
  assert.deepEqual(started, ['a', 'b', 'c', 'd']);

  // All turns are free again.
  const again = ['f', 'g'].map((id) => app.request(`/work?id=${id}`));
  await settled();
  assert.deepEqual(started.slice(4), ['f', 'g']);
  await release('f');
  await release('g');
  assert.deepEqual((await Promise.all(again)).map((r) => r.status), [200, 200]);
});

test('a request that waits longer than maxWaitMs is refused with 503 and never runs; the next waiter still gets its turn', async () => {
  const { app, started, release } = heldRoute({ maxActive: 1, maxQueued: 5, maxWaitMs: 50 });
  const first = app.request('/work?id=a');
  await settled();
  const timedOut = await app.request('/work?id=b');
  assert.equal(timedOut.status, 503);
  assert.match(((await timedOut.json()) as { error: { message: string } }).error.message, /no turn within 50 ms/);
  const next = app.request('/work?id=c');
  await settled();
  await release('a');
  await release('c');
  assert.equal((await first).status, 200);
  assert.equal(await (await next).text(), 'done c');
  assert.deepEqual(started, ['a', 'c']);
});

test('a waiting request whose client goes away leaves the queue: it never runs and holds no place', async () => {
  const { app, started, release } = heldRoute({ maxActive: 1, maxQueued: 1, maxWaitMs: 60_000 });
  const first = app.request('/work?id=a');
  await settled();
  const controller = new AbortController();
  const gone = app.request(new Request('http://localhost/work?id=b', { signal: controller.signal }));
  await settled();
  assert.equal((await app.request('/work?id=x')).status, 503, 'the queue of one is full');
  controller.abort();
  assert.equal((await gone).status, 499);
  const next = app.request('/work?id=c');
  await settled();
  await release('a');
  await release('c');
  assert.equal((await first).status, 200);
  assert.equal((await next).status, 200, 'the place it left was free');
  assert.deepEqual(started, ['a', 'c'], 'the abandoned request never ran');
});

test('a request whose predicted wait (places ahead × the recent turn time) exceeds maxWaitMs is refused at once', async () => {
  let clock = 0;
  const { app, started, release } = heldRoute({ maxActive: 1, maxQueued: 100, maxWaitMs: 250, now: () => clock });
  // One turn of 100 ms teaches the limit what a turn costs.
  const first = app.request('/work?id=a');
  await settled();
  clock += 100;
  await release('a');
  assert.equal((await first).status, 200);

  const held = app.request('/work?id=b');
  await settled();
  const waiting = ['c', 'd'].map((id) => app.request(`/work?id=${id}`)); // predicted 100 and 200 ms
  await settled();
  const refused = await app.request('/work?id=e'); // predicted 300 ms
  assert.equal(refused.status, 503);
  assert.match(((await refused.json()) as { error: { message: string } }).error.message, /about 300 ms to wait, more than 250 ms/);
  for (const id of ['b', 'c', 'd']) await release(id);
  assert.deepEqual((await Promise.all([held, ...waiting])).map((r) => r.status), [200, 200, 200]);
  assert.deepEqual(started, ['a', 'b', 'c', 'd']);
});

test('maxActive 0 turns the limit off', async () => {
  const { app, started, release } = heldRoute({ maxActive: 0, maxQueued: 0, maxWaitMs: 1 });
  const requests = ['a', 'b', 'c'].map((id) => app.request(`/work?id=${id}`));
  await settled();
  assert.deepEqual(started, ['a', 'b', 'c']);
  for (const id of ['a', 'b', 'c']) await release(id);
  assert.deepEqual((await Promise.all(requests)).map((r) => r.status), [200, 200, 200]);
});

test('over real HTTP, a client that disconnects mid-request fires the request signal and frees its turn', async () => {
  const app = new Hono();
  app.use('/work', concurrencyLimit({ maxActive: 1, maxQueued: 0, maxWaitMs: 1000 }, refuse));
  let abortedSeen = 0;
  let arrived!: () => void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  app.get('/work', async (c) => {
    if (c.req.query('hang') !== '1') return c.text('ok');
    const signal = requestSignal(c);
    arrived();
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    abortedSeen += 1;
    return c.text('nobody reads this');
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const hanging = http.get(`${base}/work?hang=1`);
    hanging.on('error', () => {});
    await arrival;
    const busy = await fetch(`${base}/work`);
    assert.equal(busy.status, 503, 'the one turn is held by the hanging request');
    await busy.text();
    hanging.destroy();
    for (let i = 0; i < 200 && abortedSeen === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(abortedSeen, 1, 'the server saw the disconnect');
    const after = await fetch(`${base}/work`);
    assert.equal(after.status, 200, 'the turn was freed');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
before(async () => {
  prepared = await startPreparedServer(25);
});
after(() => prepared.close());

test('a search stops before its next statement once its signal fires, and a page request for it is answered 499 without an error logged', async () => {
  const { store } = prepared.ctx;
  const params = { q: 'learning', page: 1, perPage: 20 };
  assert.ok((await searchPapers(store, params)).total > 0, 'the query has matches');

  const before = new AbortController();
  before.abort();
  await assert.rejects(searchPapers(store, params, { signal: before.signal }), SearchAbandonedError);

  // Aborted once the search has been called: it stops at its next check, between statements.
  const during = new AbortController();
  const running = searchPapers(store, params, { signal: during.signal });
  during.abort();
  await assert.rejects(running, SearchAbandonedError);

  const errors: string[] = [];
  const logger = { ...prepared.ctx.logger, error: (message: string) => errors.push(message) };
  // With turns the limit drops the request before its search; without, the search stops itself.
  for (const maxActive of [2, 0]) {
    const app = createApp({ ...prepared.ctx, logger, config: { ...prepared.ctx.config, pageCacheBytes: 0, searchLimit: { maxActive, maxQueued: 4, maxWaitMs: 1000 } } });
    for (const path of ['/search?q=learning', '/api/v1/search?q=learning', '/feeds/search.atom?q=learning']) {
      const gone = new AbortController();
      gone.abort();
      const response = await app.request(new Request(`http://localhost${path}`, { signal: gone.signal }));
      assert.equal(response.status, 499, `${path}, ${maxActive} at once`);
      assert.equal((await app.request(path)).status, 200, `${path} still answers a client that stays`);
    }
  }
  assert.deepEqual(errors, []);
});

test(
  'the search routes take turns: with the one turn held by a search waiting on a lock, another search is refused 503 in its route format, and the held one completes',
  onlyBackend('postgres', "the turn is held by a search blocked on a table lock; only PostgreSQL's client waits for one asynchronously (on SQLite the whole thread would block)"),
  async () => {
    const { ctx } = prepared;
    const server = await startWebServer({ ...ctx, config: { ...ctx.config, searchLimit: { maxActive: 1, maxQueued: 0, maxWaitMs: 1000 } } }, { port: 0, host: '127.0.0.1' });
    const locker = await openStore(ctx.config.database);
    try {
      for (const [path, type] of [['/search?q=learning', /text\/html/], ['/api/v1/search?q=learning', /application\/json/], ['/feeds/search.atom?q=learning', /./]] as const) {
        const connection = await locker.db.connection().execute(async (db) => {
          await sql`BEGIN`.execute(db);
          await sql`LOCK TABLE papers IN ACCESS EXCLUSIVE MODE`.execute(db);
          const held = fetch(`${server.url}${path}`);
          // Wait until the held search is blocked on the lock (it then holds the turn).
          for (let i = 0; i < 200; i += 1) {
            const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'papers'::regclass
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(db);
            if (waiting.rows[0]!.n > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          // Without turns these would wait on the lock too: a time limit makes that a clear failure.
          const refused = await fetch(`${server.url}/api/v1/search?q=other`, { signal: AbortSignal.timeout(5000) });
          const refusedPage = await fetch(`${server.url}/search?q=other`, { signal: AbortSignal.timeout(5000) });
          await sql`ROLLBACK`.execute(db);
          return { held: await held, refused, refusedPage };
        });
        assert.equal(connection.refused.status, 503, path);
        assert.equal(connection.refused.headers.get('retry-after'), '1');
        assert.match(((await connection.refused.json()) as { error: { message: string } }).error.message, /^busy: /);
        assert.equal(connection.refusedPage.status, 503);
        assert.match(connection.refusedPage.headers.get('content-type') ?? '', /text\/html/);
        assert.match(await connection.refusedPage.text(), /busy: 1 running and 0 waiting/);
        assert.equal(connection.held.status, 200, `${path}: the search holding the turn completes`);
        assert.match(connection.held.headers.get('content-type') ?? '', type);
        await connection.held.text();
      }
    } finally {
      await locker.close();
      await server.close();
    }
  },
);
