import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, test } from 'node:test';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { createTestContext } from '../helpers/context.ts';
import { samplePapers } from '../helpers/snapshot.ts';

const contexts: Array<Awaited<ReturnType<typeof createTestContext>>> = [];
after(async () => {
  for (const ctx of contexts) await ctx.close();
});

async function indexedWith(chunk: number): Promise<{ indexed: number; rows: unknown[]; marked: number }> {
  const ctx = await createTestContext();
  contexts.push(ctx);
  await storeAnnouncedPapers(ctx.store.db, await samplePapers(10), 'test');
  const indexed = await ctx.store.searchIndex.refresh(chunk);
  const rows = (await sql`SELECT rowid, title, abstract, authors, summary FROM papers_fts ORDER BY rowid`.execute(ctx.store.db)).rows;
  const marked = (await sql<{ n: number }>`SELECT count(*) AS n FROM papers WHERE search_indexed = 0`.execute(ctx.store.db)).rows[0]!.n;
  return { indexed, rows, marked };
}

test('the index is built in chunks of papers, and any chunk size gives the same index', async () => {
  const whole = await indexedWith(100_000);
  assert.ok(whole.indexed >= 50, `${whole.indexed} papers indexed`);
  assert.equal(whole.rows.length, whole.indexed);
  for (const chunk of [1, 7, whole.indexed]) {
    const chunked = await indexedWith(chunk);
    assert.equal(chunked.indexed, whole.indexed, `chunk ${chunk}: every paper indexed once`);
    assert.equal(chunked.marked, 0, `chunk ${chunk}: nothing left marked`);
    assert.deepEqual(chunked.rows, whole.rows, `chunk ${chunk}: the same index`);
  }
});
