import { sql, type Kysely } from 'kysely';

/** PostgreSQL twin of ../0012-llm-call-truncated.ts: the outcome CHECK gains 'truncated'. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE llm_calls DROP CONSTRAINT IF EXISTS llm_calls_outcome_check`.execute(db);
  await sql`ALTER TABLE llm_calls ADD CONSTRAINT llm_calls_outcome_check
    CHECK (outcome IN ('success', 'invalid_json', 'schema_violation', 'unfaithful', 'truncated', 'http_error', 'timeout'))`.execute(db);
}
