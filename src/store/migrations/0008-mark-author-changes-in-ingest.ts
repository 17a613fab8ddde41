import { sql, type Kysely } from 'kysely';

/**
 * The row triggers of 0007 on paper_authors ran an UPDATE of papers for every author row inserted:
 * a hundred thousand trigger runs per 20,000 new papers, one in ten of ingest time, to mark papers
 * that are new (and so marked already). The write path that replaces an author list
 * (storeAnnouncedPapers) now marks its papers itself, once per paper; it is the only writer of the
 * author names the index holds (enrichment changes author ids, never names).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS paper_authors_fts_insert`.execute(db);
  await sql`DROP TRIGGER IF EXISTS paper_authors_fts_delete`.execute(db);
}
