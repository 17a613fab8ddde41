import { sql, type Kysely } from 'kysely';

/**
 * The ledger records an answer cut off by the output budget as 'truncated' (not 'invalid_json'): such a
 * fallback is no verdict on the paper, so the next pass asks again. SQLite cannot alter a CHECK, so the
 * table is rebuilt with its rows and indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE llm_calls_new (
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
        CHECK (outcome IN ('success', 'invalid_json', 'schema_violation', 'unfaithful', 'truncated', 'http_error', 'timeout')),
      error TEXT,
      created_at TEXT NOT NULL
    )`,
    `INSERT INTO llm_calls_new SELECT id, paper_id, version, provider, model, prompt_version, attempt, tokens_in, tokens_out, cost_usd, latency_ms, outcome, error, created_at FROM llm_calls`,
    `DROP TABLE llm_calls`,
    `ALTER TABLE llm_calls_new RENAME TO llm_calls`,
    `CREATE INDEX llm_calls_paper ON llm_calls (paper_id, version, provider, model, prompt_version)`,
    `CREATE INDEX llm_calls_created_at ON llm_calls (created_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
