import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deleteWhereIn, insertRows } from '../../src/store/bulk-rows.ts';
import { createTestContext } from '../helpers/context.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

const now = '2026-12-01T00:00:00.000Z';

test('a batch of any size is inserted whole, in several statements, and returns every generated id', async () => {
  // 777 = 3 × 256 + 9: full statements plus a remainder split into smaller ones.
  const names = Array.from({ length: 777 }, (_, i) => [`Author ${i}`, `author ${i}`, now]);
  const created = await insertRows<'authors', { id: number; name_key: string }>(ctx.store.db, 'authors', ['name', 'name_key', 'created_at'], names.flat(), {
    returning: ['id', 'name_key'],
  });
  assert.equal(created.length, 777);
  assert.equal(new Set(created.map((r) => r.id)).size, 777);
  const stored = await ctx.store.db.selectFrom('authors').select(['id', 'name', 'name_key']).orderBy('id').execute();
  assert.deepEqual(stored.map((r) => r.name), names.map((n) => n[0]));
  assert.deepEqual(new Map(created.map((r) => [r.name_key, r.id])), new Map(stored.map((r) => [r.name_key, r.id])));
});

test('rows whose key exists are left as they are when conflicts are ignored, and fail the statement otherwise', async () => {
  const insertDays = (rows: unknown[][], ignoreConflicts: boolean) =>
    insertRows(ctx.store.db, 'announcement_days', ['announced_on', 'category', 'kind', 'listed', 'stored', 'checked_at'], rows.flat(), { ignoreConflicts });
  await insertDays([['2026-06-01', 'cs.LG', 'announcement', 10, 10, now]], false);
  await insertDays(
    [
      ['2026-06-01', 'cs.LG', 'announcement', 99, 99, now],
      ['2026-06-02', 'cs.LG', 'announcement', 5, 5, now],
    ],
    true,
  );
  const days = await ctx.store.db.selectFrom('announcement_days').select(['announced_on', 'listed']).orderBy('announced_on').execute();
  assert.deepEqual(days, [
    { announced_on: '2026-06-01', listed: 10 },
    { announced_on: '2026-06-02', listed: 5 },
  ]);
  await assert.rejects(insertDays([['2026-06-02', 'cs.LG', 'announcement', 1, 1, now]], false), /UNIQUE constraint failed|duplicate key value violates unique constraint/);
});

test('deleting by a list of any length removes exactly the listed rows', async () => {
  const before = await ctx.store.db.selectFrom('authors').select('name_key').execute();
  const doomed = before.filter((_, i) => i % 3 === 0).map((r) => r.name_key);
  await deleteWhereIn(ctx.store.db, 'authors', 'name_key', doomed);
  const left = await ctx.store.db.selectFrom('authors').select('name_key').execute();
  assert.equal(left.length, before.length - doomed.length);
  assert.ok(left.every((r) => !doomed.includes(r.name_key)));
});

test('values that do not make whole rows are refused before anything is written', async () => {
  await assert.rejects(insertRows(ctx.store.db, 'http_validators', ['url', 'etag'], ['https://example.org/odd']), /1 values do not make rows of 2/);
});

test('shared values are stored on every row of every statement of a batch', async () => {
  const rows = Array.from({ length: 300 }, (_, i) => [`https://example.org/${i}`, `"e${i}"`]);
  await insertRows(ctx.store.db, 'http_validators', ['url', 'etag'], rows.flat(), { shared: { last_modified: 'Tue, 01 Dec 2026 00:00:00 GMT', updated_at: now } });
  const stored = await ctx.store.db.selectFrom('http_validators').selectAll().orderBy('url').execute();
  assert.equal(stored.length, 300);
  assert.ok(stored.every((r) => r.last_modified === 'Tue, 01 Dec 2026 00:00:00 GMT' && r.updated_at === now && r.etag === `"e${r.url.split('/').pop()}"`));
});
