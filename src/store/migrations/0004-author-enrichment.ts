import { sql, type Kysely } from 'kysely';

/**
 * Author identity and enrichment (docs/authors.md). What Semantic Scholar and OpenAlex answered is kept
 * with its fetch time, so it is reused until the refresh age passes and still shown when they are
 * unreachable; a "not_found" answer is remembered the same way, so a 404 is not asked again each pass.
 *
 * Before this migration the ingest gave all papers with the same author name one author row, which
 * merges namesakes; such rows (none has an external id yet) are split into one row per appearance.
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
    ) WITHOUT ROWID`,
    // The author list as the source gave it, matched to arXiv positions; institutions from OpenAlex.
    `CREATE TABLE paper_author_matches (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('semantic_scholar', 'openalex')),
      external_author_id TEXT NOT NULL,
      external_name TEXT NOT NULL,
      orcid TEXT,
      institutions TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (paper_id, position, source)
    ) WITHOUT ROWID`,
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
    ) WITHOUT ROWID`,
    `CREATE INDEX paper_lookups_fetched ON paper_lookups (source, fetched_at)`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
  await splitNameOnlyAuthors(db);
}

/** Gives every paper its own row of a name-only author that several papers shared (the old name-key rule). */
export async function splitNameOnlyAuthors(db: Kysely<unknown>): Promise<void> {
  const shared = await sql<{ paper_id: string; position: number; author_id: number; name: string; name_key: string; created_at: string }>`
    SELECT pa.paper_id, pa.position, pa.author_id, a.name, a.name_key, a.created_at
    FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
    WHERE a.semantic_scholar_id IS NULL AND a.openalex_id IS NULL AND a.orcid IS NULL
      AND pa.author_id IN (SELECT author_id FROM paper_authors GROUP BY author_id HAVING COUNT(DISTINCT paper_id) > 1)
    ORDER BY pa.author_id, pa.paper_id, pa.position`.execute(db);
  const max = await sql<{ id: number | null }>`SELECT MAX(id) AS id FROM authors`.execute(db);
  let nextId = Number(max.rows[0]?.id ?? 0) + 1;
  const firstPaper = new Map<number, string>();
  for (const row of shared.rows) {
    const first = firstPaper.get(row.author_id);
    if (first === undefined) firstPaper.set(row.author_id, row.paper_id);
    if (first === undefined || first === row.paper_id) continue;
    const id = nextId++;
    await sql`INSERT INTO authors (id, name, name_key, created_at) VALUES (${id}, ${row.name}, ${row.name_key}, ${row.created_at})`.execute(db);
    await sql`UPDATE paper_authors SET author_id = ${id} WHERE paper_id = ${row.paper_id} AND position = ${row.position}`.execute(db);
  }
}
