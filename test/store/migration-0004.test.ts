import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitNameOnlyAuthors } from '../../src/store/migrations/0004-author-enrichment.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import type { Kysely } from 'kysely';
import { createTestContext } from '../helpers/context.ts';
import { samplePapers } from '../helpers/snapshot.ts';

test('migration 0004 splits name-only authors that the old name rule shared between papers; rows with ids stay whole', async () => {
  const ctx = await createTestContext();
  try {
    const [a, b, c] = (await samplePapers(3)).slice(0, 3);
    await storeAnnouncedPapers(ctx.store.db, [a!, b!, c!], 'test');
    // Rebuild what the old ingest did: one author row for a name on papers a and b, one with an S2 id on b and c.
    const first = (id: string) => ctx.store.db.selectFrom('paper_authors').select('author_id').where('paper_id', '=', id).where('position', '=', 0).executeTakeFirstOrThrow();
    const shared = (await first(a!.record.id)).author_id;
    await ctx.store.db.updateTable('paper_authors').set({ author_id: shared }).where('paper_id', '=', b!.record.id).where('position', '=', 0).execute();
    const verified = (await ctx.store.db.selectFrom('paper_authors').select('author_id').where('paper_id', '=', c!.record.id).where('position', '=', 0).executeTakeFirstOrThrow()).author_id;
    await ctx.store.db.updateTable('authors').set({ semantic_scholar_id: 's2-test' }).where('id', '=', verified).execute();
    await ctx.store.db.updateTable('paper_authors').set({ author_id: verified }).where('paper_id', '=', b!.record.id).where('position', '=', 1).execute();

    await splitNameOnlyAuthors(ctx.store.db as unknown as Kysely<unknown>);
    const [afterA, afterB] = [(await first(a!.record.id)).author_id, (await first(b!.record.id)).author_id];
    assert.equal(afterA, shared, 'the first paper keeps the row');
    assert.notEqual(afterB, shared, 'the second paper gets its own row');
    const row = await ctx.store.db.selectFrom('authors').selectAll().where('id', '=', afterB).executeTakeFirstOrThrow();
    assert.equal(row.semantic_scholar_id, null);
    const stillShared = await ctx.store.db.selectFrom('paper_authors').select('paper_id').where('author_id', '=', verified).execute();
    assert.equal(stillShared.length, 2, 'an id joins them: left alone');
  } finally {
    await ctx.close();
  }
});
