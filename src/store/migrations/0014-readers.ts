import { sql, type Kysely } from 'kysely';

/**
 * Readers (issue 18): each reader's credentials, library, feedback and what they follow. Secrets are
 * never stored: a token's SHA-256 is (API tokens, sessions, sign-in links, the personal feed's URL).
 * Times are ISO 8601 text in both dialects, as elsewhere in the store.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE readers (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE reader_tokens (
    token_hash TEXT PRIMARY KEY,
    reader_id TEXT NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('api', 'session', 'sign-in', 'feed')),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    used_at TEXT,
    revoked_at TEXT
  )`.execute(db);
  await sql`CREATE INDEX reader_tokens_reader ON reader_tokens (reader_id, kind)`.execute(db);
  await sql`CREATE TABLE reader_library (
    reader_id TEXT NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    paper_id TEXT,
    title TEXT NOT NULL,
    abstract TEXT,
    year INTEGER,
    added_at TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (reader_id, item_id)
  )`.execute(db);
  await sql`CREATE TABLE reader_feedback (
    reader_id TEXT NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL,
    signal TEXT NOT NULL CHECK (signal IN ('save', 'not-interested')),
    at TEXT NOT NULL,
    PRIMARY KEY (reader_id, paper_id)
  )`.execute(db);
  await sql`CREATE TABLE reader_follows (
    reader_id TEXT NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('author', 'topic', 'category', 'include', 'exclude')),
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (reader_id, kind, value)
  )`.execute(db);
}
