import { sql, type Kysely } from 'kysely';

/**
 * The AI Score rubric an LLM fills in within the summary call (JSON, null for offline summaries), kept
 * beside the summary it came with so the scoring stage can use it without another call.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE summaries ADD COLUMN rubric TEXT').execute(db);
}
