import { sql, type Kysely } from 'kysely';

/**
 * The LLM ledger: one row per request sent to an LLM provider (HTTP retries and the corrective retry
 * included), so cost, latency and failure rates can be audited (`papersift stats`) and a rerun knows
 * which paper versions an engine already answered. No foreign key: the cost history outlives papers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE llm_calls (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      paper_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      prompt_version TEXT NOT NULL,
      attempt INTEGER NOT NULL CHECK (attempt >= 1),
      tokens_in INTEGER,
      tokens_out INTEGER,
      cost_usd REAL,
      latency_ms INTEGER NOT NULL,
      outcome TEXT NOT NULL
        CHECK (outcome IN ('success', 'invalid_json', 'schema_violation', 'unfaithful', 'http_error', 'timeout')),
      error TEXT,
      created_at TEXT NOT NULL
    )`,
    `CREATE INDEX llm_calls_paper ON llm_calls (paper_id, version, provider, model, prompt_version)`,
    `CREATE INDEX llm_calls_created_at ON llm_calls (created_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
