import { sql } from 'kysely';
import type { Store } from './db.ts';

/**
 * Adds papers stored (or changed) since the last run to the full-text index, in one transaction.
 * A stage of its own: tokenising abstracts costs more than storing them, and search can trail an
 * ingest by one step without anyone noticing, while ingest speed decides how fast backfills finish.
 */
export async function refreshSearchIndex(store: Store): Promise<number> {
  return store.transaction().execute(async (tx) => {
    const inserted = await sql`INSERT INTO papers_fts (rowid, title, abstract) SELECT seq, title, abstract FROM papers WHERE search_indexed = 0`.execute(tx);
    await sql`UPDATE papers SET search_indexed = 1 WHERE search_indexed = 0`.execute(tx);
    return Number(inserted.numAffectedRows ?? 0n);
  });
}
