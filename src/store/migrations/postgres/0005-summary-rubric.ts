import { sql, type Kysely } from 'kysely';

/** PostgreSQL twin of ../0005-summary-rubric.ts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE summaries ADD COLUMN rubric TEXT').execute(db);
}
