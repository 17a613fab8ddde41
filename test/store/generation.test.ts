import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import type { Store } from '../../src/store/store.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase, onlyBackend, type TestDatabase } from '../helpers/database.ts';

/**
 * The store's generation (src/store/generation.ts), which the page cache keys pages on: it stays while
 * nothing is written and moves with every commit, by this store or by any other connection.
 */

let database: TestDatabase;
let store: Store;
let cleanup: () => void;

before(async () => {
  const temp = makeTempDir();
  cleanup = temp.cleanup;
  database = await freshDatabase(temp.dir, 'generation');
  store = await database.open();
});

after(async () => {
  await store?.close();
  await dropTestDatabases();
  cleanup?.();
});

const day = (date: string) => sql`INSERT INTO announcement_days (announced_on, category, kind, checked_at) VALUES (${date}, 'cs.LG', 'announcement', '2026-06-01')`;

test('the generation stays while nothing is written and moves with a commit of this store', async () => {
  const first = await store.generation();
  assert.equal(await store.generation(), first);
  await sql`SELECT count(*) FROM papers`.execute(store.db);
  assert.equal(await store.generation(), first, 'a read is no change');
  await day('2026-06-01').execute(store.db);
  const second = await store.generation();
  assert.notEqual(second, first);
  await store.db.transaction().execute(async (tx) => {
    await day('2026-06-02').execute(tx);
    await day('2026-06-03').execute(tx);
  });
  assert.notEqual(await store.generation(), second);
});

test('a commit by another store on the same database moves it', async () => {
  const other = await database.open();
  try {
    const before = await store.generation();
    await day('2026-06-04').execute(other.db);
    assert.notEqual(await store.generation(), before);
  } finally {
    await other.close();
  }
});

test('many requests at once all get the generation, each read after it asked', async () => {
  const before = await store.generation();
  const reads = Array.from({ length: 50 }, () => store.generation());
  await day('2026-06-05').execute(store.db);
  const after = await Promise.all([...reads, ...Array.from({ length: 50 }, () => store.generation())]);
  assert.ok(after.slice(0, 50).every((g) => g === before || g === after[50]));
  assert.ok(after.slice(50).every((g) => g === after[50] && g !== before), 'reads asked after the commit see it');
});

const POSTGRES_ONLY = onlyBackend('postgres', "PostgreSQL's generation counter (migration 0010): SQLite's connection reports its own");

const counter = async () => Number(await store.generation());

test('PostgreSQL: one transaction bumps the counter once, however many rows it writes; tables no page shows leave it', POSTGRES_ONLY, async () => {
  const start = await counter();
  await store.db.transaction().execute(async (tx) => {
    for (let i = 10; i < 30; i += 1) await day(`2026-07-${i}`).execute(tx);
    await sql`UPDATE announcement_days SET listed = 3 WHERE announced_on >= '2026-07-10'`.execute(tx);
  });
  assert.equal(await counter(), start + 1);
  await sql`INSERT INTO http_validators (url, etag, updated_at) VALUES ('https://example.invalid/feed', 'x', '2026-06-01')`.execute(store.db);
  await sql`INSERT INTO ingest_runs (source, params, status, started_at) VALUES ('test', '{}', 'running', '2026-06-01')`.execute(store.db);
  assert.equal(await counter(), start + 1, 'feed validators and ingest checkpoints are not shown');
  await store.db.transaction().execute(async (tx) => {
    await day('2026-07-30').execute(tx);
    throw new Error('rolled back');
  }).catch(() => {});
  assert.equal(await counter(), start + 1, 'a rolled-back transaction changes nothing');
});

test('PostgreSQL: writers holding row locks in crossing order never deadlock on the counter (it is taken at commit)', POSTGRES_ONLY, async () => {
  const connect = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    return client;
  };
  await day('2026-08-01').execute(store.db);
  await day('2026-08-02').execute(store.db);
  const start = await counter();
  const [a, b] = [await connect(), await connect()];
  try {
    await a.query('BEGIN');
    await b.query('BEGIN');
    await a.query("UPDATE announcement_days SET listed = 1 WHERE announced_on = '2026-08-01'");
    // Were the counter bumped per statement, b would now wait for a's lock on it while holding its row…
    await b.query("UPDATE announcement_days SET listed = 2 WHERE announced_on = '2026-08-02'");
    // …and a, waiting here for b's row, would close the cycle.
    const aWaits = a.query("UPDATE announcement_days SET listed = 3 WHERE announced_on = '2026-08-02'");
    await b.query('COMMIT');
    await aWaits;
    await a.query('COMMIT');
  } finally {
    await a.end();
    await b.end();
  }
  assert.equal(await counter(), start + 2);
});
