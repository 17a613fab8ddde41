import { sql, type Kysely } from 'kysely';

/**
 * The store's generation on PostgreSQL (SQLite reads its own: ../0010-generation.ts): one counter,
 * bumped once by every transaction that changes a table the pages show, at its commit. The web
 * server's page cache keeps a page while the counter stays where it was when the page was built, so a
 * commit by any process (a worker, a CLI run, another server) invalidates it.
 *
 * Deferred constraint triggers fire at commit, so the counter's row lock is taken last and held only
 * while the commit finishes: concurrent writers queue there briefly but can never deadlock on it, and
 * a reader that sees the new value sees the committed rows. A transaction-local flag makes the
 * function update the row once per transaction, however many rows it wrote. Tables the pages do not
 * read (ingest checkpoints, feed validators, the LLM ledger, summary claims, jobs) do not bump it.
 */
export const TABLES_SHOWN = [
  'papers',
  'paper_versions',
  'paper_categories',
  'authors',
  'paper_authors',
  'announcements',
  'announcement_days',
  'code_links',
  'summaries',
  'scores',
  'digest_entries',
  'paper_lookups',
  'paper_author_matches',
  'external_authors',
  'papers_fts',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
  )`.execute(db);
  await sql`INSERT INTO store_generation (id, value) VALUES (1, 0)`.execute(db);
  await sql`CREATE FUNCTION bump_store_generation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('papersift.generation_bumped', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('papersift.generation_bumped', 'yes', true);
        UPDATE store_generation SET value = value + 1 WHERE id = 1;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  for (const table of TABLES_SHOWN) {
    await sql`CREATE CONSTRAINT TRIGGER ${sql.id(`${table}_bumps_generation`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_store_generation()`.execute(db);
  }
}
