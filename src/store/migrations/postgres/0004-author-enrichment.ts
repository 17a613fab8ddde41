import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL twin of ../0004-author-enrichment.ts. The SQLite migration also split name-only authors
 * that an older ingest had merged; no PostgreSQL store predates that rule, so there is nothing to split.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE paper_lookups (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      source TEXT NOT NULL CHECK (source IN ('semantic_scholar', 'openalex')),
      version INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('found', 'not_found')),
      external_id TEXT,
      citation_count INTEGER,
      influential_citation_count INTEGER,
      fetched_at TEXT NOT NULL,
      PRIMARY KEY (paper_id, source)
    )`,
    `CREATE TABLE paper_author_matches (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('semantic_scholar', 'openalex')),
      external_author_id TEXT NOT NULL,
      external_name TEXT NOT NULL,
      orcid TEXT,
      institutions TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (paper_id, position, source)
    )`,
    `CREATE TABLE external_authors (
      source TEXT NOT NULL CHECK (source IN ('semantic_scholar', 'openalex')),
      external_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('found', 'not_found')),
      name TEXT,
      h_index INTEGER,
      paper_count INTEGER,
      citation_count INTEGER,
      orcid TEXT,
      affiliations TEXT NOT NULL DEFAULT '[]',
      url TEXT,
      fetched_at TEXT NOT NULL,
      PRIMARY KEY (source, external_id)
    )`,
    `CREATE INDEX paper_lookups_fetched ON paper_lookups (source, fetched_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
