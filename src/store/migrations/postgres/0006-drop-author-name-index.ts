import { sql, type Kysely } from 'kysely';

/** PostgreSQL twin of ../0006-drop-author-name-index.ts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS authors_name_key`.execute(db);
}
