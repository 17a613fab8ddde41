import { sql, type Kysely } from 'kysely';

/**
 * Search over authors and summaries too. The first index was external-content over `papers`, which
 * cannot hold text from other tables, so it is replaced by an FTS5 table that keeps its own copy
 * (title, abstract, author names, summary text). Any change to that text only marks the paper
 * (`search_indexed = 0`); the indexing stage (store/search-index.ts) rewrites marked rows by rowid.
 * Every paper is marked here, so the next pass rebuilds the index: migrations stay quick.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const markPaper = (idExpr: string) => `UPDATE papers SET search_indexed = 0 WHERE id = ${idExpr} AND search_indexed = 1;`;
  const statements = [
    `DROP TRIGGER IF EXISTS papers_fts_update`,
    `DROP TRIGGER IF EXISTS papers_fts_delete`,
    `DROP TABLE IF EXISTS papers_fts`,
    `CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, summary, tokenize = 'porter unicode61')`,
    `CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract ON papers WHEN old.search_indexed = 1 BEGIN
      UPDATE papers SET search_indexed = 0 WHERE seq = new.seq;
    END`,
    `CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
      DELETE FROM papers_fts WHERE rowid = old.seq;
    END`,
    `CREATE TRIGGER summaries_fts_insert AFTER INSERT ON summaries BEGIN ${markPaper('new.paper_id')} END`,
    `CREATE TRIGGER summaries_fts_update AFTER UPDATE ON summaries BEGIN ${markPaper('new.paper_id')} END`,
    `CREATE TRIGGER paper_authors_fts_insert AFTER INSERT ON paper_authors BEGIN ${markPaper('new.paper_id')} END`,
    `CREATE TRIGGER paper_authors_fts_delete AFTER DELETE ON paper_authors BEGIN ${markPaper('old.paper_id')} END`,
    `UPDATE papers SET search_indexed = 0`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
