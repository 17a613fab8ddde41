import { sql, type Kysely } from 'kysely';

/**
 * Since identity moved to external ids (0004, docs/authors.md), no query looks authors up by name
 * key, and every author appearance is a row: the index only cost ingest time (a tenth of it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS authors_name_key`.execute(db);
}
