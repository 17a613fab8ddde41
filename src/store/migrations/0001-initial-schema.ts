import { sql, type Kysely } from 'kysely';

/**
 * The first schema. Forward-only: a later change is a new migration file, never an edit here.
 * Every pipeline stage keeps its own status column so "skipped" and "fallback" are recorded honestly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    // `seq` is an explicit integer key so the full-text index can point at rows that VACUUM never renumbers.
    `CREATE TABLE papers (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      latest_version INTEGER NOT NULL,
      title TEXT NOT NULL,
      abstract TEXT NOT NULL,
      comment TEXT,
      journal_ref TEXT,
      doi TEXT,
      license TEXT,
      primary_category TEXT NOT NULL,
      published_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      first_announced_on TEXT,
      withdrawn INTEGER NOT NULL DEFAULT 0,
      summary_status TEXT NOT NULL DEFAULT 'pending'
        CHECK (summary_status IN ('pending', 'success', 'fallback', 'skipped', 'failed')),
      summary_error TEXT,
      search_indexed INTEGER NOT NULL DEFAULT 0,
      stored_at TEXT NOT NULL,
      changed_at TEXT NOT NULL
    )`,
    `CREATE INDEX papers_summary_status ON papers (summary_status)`,
    `CREATE INDEX papers_not_search_indexed ON papers (seq) WHERE search_indexed = 0`,
    // Raw arXiv text (TeX, hard line breaks) is kept per version; papers holds the display form.
    `CREATE TABLE paper_versions (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      version INTEGER NOT NULL CHECK (version >= 1),
      submitted_at TEXT NOT NULL,
      title_raw TEXT NOT NULL,
      abstract_raw TEXT NOT NULL,
      comment TEXT,
      source TEXT NOT NULL,
      fetched_at TEXT NOT NULL,
      PRIMARY KEY (paper_id, version)
    )`,
    `CREATE TABLE paper_categories (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      category TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (paper_id, category)
    ) WITHOUT ROWID`,
    `CREATE INDEX paper_categories_category ON paper_categories (category)`,
    `CREATE TABLE authors (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL,
      semantic_scholar_id TEXT,
      openalex_id TEXT,
      orcid TEXT,
      created_at TEXT NOT NULL
    )`,
    `CREATE INDEX authors_name_key ON authors (name_key)`,
    // Partial: most authors have no external id yet, and NULLs need no index entries.
    `CREATE UNIQUE INDEX authors_semantic_scholar_id ON authors (semantic_scholar_id) WHERE semantic_scholar_id IS NOT NULL`,
    `CREATE UNIQUE INDEX authors_openalex_id ON authors (openalex_id) WHERE openalex_id IS NOT NULL`,
    `CREATE UNIQUE INDEX authors_orcid ON authors (orcid) WHERE orcid IS NOT NULL`,
    `CREATE TABLE paper_authors (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      author_id INTEGER NOT NULL REFERENCES authors (id),
      name TEXT NOT NULL,
      affiliations TEXT NOT NULL DEFAULT '[]',
      PRIMARY KEY (paper_id, position)
    ) WITHOUT ROWID`,
    `CREATE INDEX paper_authors_author ON paper_authors (author_id)`,
    `CREATE TABLE announcements (
      announced_on TEXT NOT NULL,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      announce_type TEXT NOT NULL CHECK (announce_type IN ('new', 'cross', 'replace', 'replace-cross')),
      version INTEGER NOT NULL,
      PRIMARY KEY (announced_on, paper_id)
    ) WITHOUT ROWID`,
    `CREATE INDEX announcements_paper ON announcements (paper_id)`,
    `CREATE TABLE code_links (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      found_in TEXT NOT NULL,
      PRIMARY KEY (paper_id, url)
    ) WITHOUT ROWID`,
    `CREATE TABLE summaries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      engine TEXT NOT NULL,
      model TEXT NOT NULL,
      prompt_version TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('success', 'fallback')),
      tldr TEXT NOT NULL,
      tags TEXT NOT NULL,
      highlights TEXT NOT NULL,
      summary TEXT NOT NULL,
      methodology TEXT NOT NULL,
      results TEXT NOT NULL,
      implications TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (paper_id, version, engine, model, prompt_version)
    )`,
    `CREATE TABLE scores (
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      method_version TEXT NOT NULL,
      novelty REAL,
      ai_score REAL,
      details TEXT NOT NULL DEFAULT '{}',
      computed_at TEXT NOT NULL,
      PRIMARY KEY (paper_id, version, method_version)
    )`,
    `CREATE TABLE digest_entries (
      announced_on TEXT NOT NULL,
      rank INTEGER NOT NULL,
      paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
      why TEXT NOT NULL,
      method_version TEXT NOT NULL,
      selected_at TEXT NOT NULL,
      PRIMARY KEY (announced_on, rank),
      UNIQUE (announced_on, paper_id)
    )`,
    `CREATE TABLE ingest_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      source TEXT NOT NULL,
      params TEXT NOT NULL DEFAULT '{}',
      status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed')),
      started_at TEXT NOT NULL,
      finished_at TEXT,
      fetched INTEGER NOT NULL DEFAULT 0,
      inserted INTEGER NOT NULL DEFAULT 0,
      updated INTEGER NOT NULL DEFAULT 0,
      unchanged INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      checkpoint TEXT
    )`,
    `CREATE VIRTUAL TABLE papers_fts USING fts5(
      title, abstract, content = 'papers', content_rowid = 'seq', tokenize = 'porter unicode61'
    )`,
    // Indexing is a pipeline stage of its own (store/search-index.ts): tokenising an abstract costs more
    // than storing it, so ingest only marks rows; a changed or deleted indexed row leaves the index here.
    `CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract ON papers WHEN old.search_indexed = 1 BEGIN
      INSERT INTO papers_fts (papers_fts, rowid, title, abstract) VALUES ('delete', old.seq, old.title, old.abstract);
      UPDATE papers SET search_indexed = 0 WHERE seq = new.seq;
    END`,
    `CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers WHEN old.search_indexed = 1 BEGIN
      INSERT INTO papers_fts (papers_fts, rowid, title, abstract) VALUES ('delete', old.seq, old.title, old.abstract);
    END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
