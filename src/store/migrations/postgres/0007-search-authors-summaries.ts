import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL's side of the search index (SQLite: FTS5 in ../0007-search-authors-summaries.ts). The
 * table has the same name and text columns; `rowid` is the paper's seq (what FTS5 calls rowid), and
 * `document` is the weighted tsvector the GIN index serves: title A, authors B, summary C, abstract D,
 * the same order of weights as the bm25() call of digest/search.ts. The same marking rules as SQLite:
 * changed title/abstract or a summary marks the paper (search_indexed = 0); a deleted paper leaves
 * the index through the foreign key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE papers_fts (
      rowid INTEGER PRIMARY KEY REFERENCES papers (seq) ON DELETE CASCADE,
      title TEXT NOT NULL,
      abstract TEXT NOT NULL,
      authors TEXT,
      summary TEXT,
      document TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(authors, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(summary, '')), 'C') ||
        setweight(to_tsvector('english', coalesce(abstract, '')), 'D')
      ) STORED
    )`,
    `CREATE INDEX papers_fts_document ON papers_fts USING GIN (document)`,
    `CREATE FUNCTION papers_fts_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.search_indexed = 1 AND (NEW.title IS DISTINCT FROM OLD.title OR NEW.abstract IS DISTINCT FROM OLD.abstract) THEN
        NEW.search_indexed := 0;
      END IF;
      RETURN NEW;
    END $$`,
    `CREATE TRIGGER papers_fts_update BEFORE UPDATE OF title, abstract ON papers
      FOR EACH ROW EXECUTE FUNCTION papers_fts_mark_changed()`,
    `CREATE FUNCTION papers_fts_mark_summary() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE papers SET search_indexed = 0 WHERE id = NEW.paper_id AND search_indexed = 1;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER summaries_fts_insert AFTER INSERT ON summaries FOR EACH ROW EXECUTE FUNCTION papers_fts_mark_summary()`,
    `CREATE TRIGGER summaries_fts_update AFTER UPDATE ON summaries FOR EACH ROW EXECUTE FUNCTION papers_fts_mark_summary()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
