import type { Selectable } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The one description of the store's tables that both dialects' migrations must produce
 * (test/store/schema-parity.test.ts migrates a SQLite and a PostgreSQL store and compares each with
 * it) and that the row types of schema.ts must match (the compiler checks it through `satisfies`
 * below: every column of every table, its type and whether it may be NULL). A new migration pair
 * changes this file, schema.ts and both dialects' SQL together, or a test or the type check fails.
 */

type ColumnType = 'integer' | 'real' | 'text';
type ColumnTypeOf<V> = NonNullable<V> extends number ? 'integer' | 'real' : NonNullable<V> extends string ? 'text' : never;
/** A column; `nullable` exactly when its row type admits null. */
type ColumnOf<V> = null extends V ? { type: ColumnTypeOf<V>; nullable: true } : { type: ColumnTypeOf<V>; nullable?: never };
type TableOf<Row> = {
  /** In the order the migrations create them. */
  columns: { [C in keyof Selectable<Row>]-?: ColumnOf<Selectable<Row>[C]> };
  primaryKey: ReadonlyArray<keyof Selectable<Row> & string>;
  /** Named indexes besides those of the primary key and UNIQUE constraints. */
  indexes: readonly string[];
};

export interface ColumnDescription {
  type: ColumnType;
  nullable?: true;
}

export interface TableDescription {
  columns: Record<string, ColumnDescription>;
  primaryKey: readonly string[];
  indexes: readonly string[];
}

export const TABLES = {
  announcement_days: {
    columns: {
      announced_on: { type: 'text' },
      category: { type: 'text' },
      kind: { type: 'text' },
      listed: { type: 'integer' },
      stored: { type: 'integer' },
      checked_at: { type: 'text' },
    },
    primaryKey: ['announced_on', 'category'],
    indexes: [],
  },
  announcements: {
    columns: {
      announced_on: { type: 'text' },
      paper_id: { type: 'text' },
      announce_type: { type: 'text' },
      version: { type: 'integer' },
    },
    primaryKey: ['announced_on', 'paper_id'],
    indexes: ['announcements_paper'],
  },
  authors: {
    columns: {
      id: { type: 'integer' },
      name: { type: 'text' },
      name_key: { type: 'text' },
      semantic_scholar_id: { type: 'text', nullable: true },
      openalex_id: { type: 'text', nullable: true },
      orcid: { type: 'text', nullable: true },
      created_at: { type: 'text' },
    },
    primaryKey: ['id'],
    indexes: ['authors_openalex_id', 'authors_orcid', 'authors_semantic_scholar_id'],
  },
  code_links: {
    columns: {
      paper_id: { type: 'text' },
      url: { type: 'text' },
      found_in: { type: 'text' },
    },
    primaryKey: ['paper_id', 'url'],
    indexes: [],
  },
  digest_entries: {
    columns: {
      announced_on: { type: 'text' },
      rank: { type: 'integer' },
      paper_id: { type: 'text' },
      why: { type: 'text' },
      method_version: { type: 'text' },
      selected_at: { type: 'text' },
    },
    primaryKey: ['announced_on', 'rank'],
    indexes: [],
  },
  external_authors: {
    columns: {
      source: { type: 'text' },
      external_id: { type: 'text' },
      status: { type: 'text' },
      name: { type: 'text', nullable: true },
      h_index: { type: 'integer', nullable: true },
      paper_count: { type: 'integer', nullable: true },
      citation_count: { type: 'integer', nullable: true },
      orcid: { type: 'text', nullable: true },
      affiliations: { type: 'text' },
      url: { type: 'text', nullable: true },
      fetched_at: { type: 'text' },
    },
    primaryKey: ['source', 'external_id'],
    indexes: [],
  },
  http_validators: {
    columns: {
      url: { type: 'text' },
      etag: { type: 'text', nullable: true },
      last_modified: { type: 'text', nullable: true },
      updated_at: { type: 'text' },
    },
    primaryKey: ['url'],
    indexes: [],
  },
  ingest_runs: {
    columns: {
      id: { type: 'integer' },
      source: { type: 'text' },
      params: { type: 'text' },
      status: { type: 'text' },
      started_at: { type: 'text' },
      finished_at: { type: 'text', nullable: true },
      fetched: { type: 'integer' },
      inserted: { type: 'integer' },
      updated: { type: 'integer' },
      unchanged: { type: 'integer' },
      failed: { type: 'integer' },
      error: { type: 'text', nullable: true },
      checkpoint: { type: 'text', nullable: true },
      owner_token: { type: 'text', nullable: true },
      owner_host: { type: 'text', nullable: true },
      owner_pid: { type: 'integer', nullable: true },
      lease_until_ms: { type: 'integer', nullable: true },
    },
    primaryKey: ['id'],
    indexes: [],
  },
  llm_calls: {
    columns: {
      id: { type: 'integer' },
      paper_id: { type: 'text' },
      version: { type: 'integer' },
      provider: { type: 'text' },
      model: { type: 'text' },
      prompt_version: { type: 'text' },
      attempt: { type: 'integer' },
      tokens_in: { type: 'integer', nullable: true },
      tokens_out: { type: 'integer', nullable: true },
      cost_usd: { type: 'real', nullable: true },
      latency_ms: { type: 'integer' },
      outcome: { type: 'text' },
      error: { type: 'text', nullable: true },
      created_at: { type: 'text' },
    },
    primaryKey: ['id'],
    indexes: ['llm_calls_created_at', 'llm_calls_paper'],
  },
  paper_author_matches: {
    columns: {
      paper_id: { type: 'text' },
      position: { type: 'integer' },
      source: { type: 'text' },
      external_author_id: { type: 'text' },
      external_name: { type: 'text' },
      orcid: { type: 'text', nullable: true },
      institutions: { type: 'text' },
    },
    primaryKey: ['paper_id', 'position', 'source'],
    indexes: [],
  },
  paper_authors: {
    columns: {
      paper_id: { type: 'text' },
      position: { type: 'integer' },
      author_id: { type: 'integer' },
      name: { type: 'text' },
      affiliations: { type: 'text' },
    },
    primaryKey: ['paper_id', 'position'],
    indexes: ['paper_authors_author'],
  },
  paper_categories: {
    columns: {
      paper_id: { type: 'text' },
      category: { type: 'text' },
      position: { type: 'integer' },
    },
    primaryKey: ['paper_id', 'category'],
    indexes: ['paper_categories_category'],
  },
  paper_lookups: {
    columns: {
      paper_id: { type: 'text' },
      source: { type: 'text' },
      version: { type: 'integer' },
      status: { type: 'text' },
      external_id: { type: 'text', nullable: true },
      citation_count: { type: 'integer', nullable: true },
      influential_citation_count: { type: 'integer', nullable: true },
      fetched_at: { type: 'text' },
    },
    primaryKey: ['paper_id', 'source'],
    indexes: ['paper_lookups_fetched'],
  },
  paper_versions: {
    columns: {
      paper_id: { type: 'text' },
      version: { type: 'integer' },
      submitted_at: { type: 'text' },
      title_raw: { type: 'text' },
      abstract_raw: { type: 'text' },
      comment: { type: 'text', nullable: true },
      source: { type: 'text' },
      fetched_at: { type: 'text' },
    },
    primaryKey: ['paper_id', 'version'],
    indexes: [],
  },
  papers: {
    columns: {
      seq: { type: 'integer' },
      id: { type: 'text' },
      latest_version: { type: 'integer' },
      title: { type: 'text' },
      abstract: { type: 'text' },
      comment: { type: 'text', nullable: true },
      journal_ref: { type: 'text', nullable: true },
      doi: { type: 'text', nullable: true },
      license: { type: 'text', nullable: true },
      primary_category: { type: 'text' },
      published_at: { type: 'text' },
      updated_at: { type: 'text' },
      first_announced_on: { type: 'text', nullable: true },
      withdrawn: { type: 'integer' },
      summary_status: { type: 'text' },
      summary_error: { type: 'text', nullable: true },
      search_indexed: { type: 'integer' },
      stored_at: { type: 'text' },
      changed_at: { type: 'text' },
    },
    primaryKey: ['seq'],
    indexes: ['papers_not_search_indexed', 'papers_summary_status'],
  },
  scores: {
    columns: {
      paper_id: { type: 'text' },
      version: { type: 'integer' },
      method_version: { type: 'text' },
      novelty: { type: 'real', nullable: true },
      ai_score: { type: 'real', nullable: true },
      details: { type: 'text' },
      computed_at: { type: 'text' },
    },
    primaryKey: ['paper_id', 'version', 'method_version'],
    indexes: [],
  },
  summaries: {
    columns: {
      id: { type: 'integer' },
      paper_id: { type: 'text' },
      version: { type: 'integer' },
      engine: { type: 'text' },
      model: { type: 'text' },
      prompt_version: { type: 'text' },
      outcome: { type: 'text' },
      tldr: { type: 'text' },
      tags: { type: 'text' },
      highlights: { type: 'text' },
      summary: { type: 'text' },
      methodology: { type: 'text' },
      results: { type: 'text' },
      implications: { type: 'text' },
      created_at: { type: 'text' },
      rubric: { type: 'text', nullable: true },
    },
    primaryKey: ['id'],
    indexes: [],
  },
  summary_claims: {
    columns: {
      paper_id: { type: 'text' },
      version: { type: 'integer' },
      owner: { type: 'text' },
      lease_until: { type: 'text' },
    },
    primaryKey: ['paper_id', 'version'],
    indexes: [],
  },
  rate_gates: {
    columns: {
      service: { type: 'text' },
      next_start_ms: { type: 'integer' },
      hold_until_ms: { type: 'integer' },
    },
    primaryKey: ['service'],
    indexes: [],
  },
  rate_gate_slots: {
    columns: {
      service: { type: 'text' },
      slot_id: { type: 'text' },
      started_ms: { type: 'integer' },
      lease_until_ms: { type: 'integer' },
    },
    primaryKey: ['service', 'slot_id'],
    indexes: [],
  },
  readers: {
    columns: {
      id: { type: 'text' },
      email: { type: 'text' },
      created_at: { type: 'text' },
    },
    primaryKey: ['id'],
    indexes: [],
  },
  reader_tokens: {
    columns: {
      token_hash: { type: 'text' },
      reader_id: { type: 'text' },
      kind: { type: 'text' },
      created_at: { type: 'text' },
      expires_at: { type: 'text', nullable: true },
      used_at: { type: 'text', nullable: true },
      revoked_at: { type: 'text', nullable: true },
    },
    primaryKey: ['token_hash'],
    indexes: ['reader_tokens_reader'],
  },
  reader_library: {
    columns: {
      reader_id: { type: 'text' },
      item_id: { type: 'text' },
      paper_id: { type: 'text', nullable: true },
      title: { type: 'text' },
      abstract: { type: 'text', nullable: true },
      year: { type: 'integer', nullable: true },
      added_at: { type: 'text' },
      source: { type: 'text' },
    },
    primaryKey: ['reader_id', 'item_id'],
    indexes: [],
  },
  reader_feedback: {
    columns: {
      reader_id: { type: 'text' },
      paper_id: { type: 'text' },
      signal: { type: 'text' },
      at: { type: 'text' },
    },
    primaryKey: ['reader_id', 'paper_id'],
    indexes: [],
  },
  reader_follows: {
    columns: {
      reader_id: { type: 'text' },
      kind: { type: 'text' },
      value: { type: 'text' },
      created_at: { type: 'text' },
    },
    primaryKey: ['reader_id', 'kind', 'value'],
    indexes: [],
  },
} satisfies { [T in keyof Database]: TableOf<Database[T]> };

/**
 * The full-text index (migration 0007): the same four text columns in both dialects, in different
 * clothes, so it is described apart. SQLite: an FTS5 virtual table (its shadow tables
 * papers_fts_data, _idx, _content, _docsize, _config come with it), rowid = papers.seq. PostgreSQL: a
 * table keyed by `rowid`, with the weighted tsvector `document` and its GIN index.
 */
export const SEARCH_INDEX = {
  table: 'papers_fts',
  columns: ['title', 'abstract', 'authors', 'summary'],
  sqliteShadowTables: ['papers_fts_config', 'papers_fts_content', 'papers_fts_data', 'papers_fts_docsize', 'papers_fts_idx'],
  postgres: { key: 'rowid', document: 'document', index: 'papers_fts_document' },
} as const;

/**
 * Tables of one dialect only. PostgreSQL's generation counter (migration 0010): SQLite's connection
 * reports its generation itself (src/store/generation.ts).
 */
export const DIALECT_ONLY_TABLES: Record<'sqlite' | 'postgres', Record<string, TableDescription>> = {
  sqlite: {},
  postgres: {
    store_generation: { columns: { id: { type: 'integer' }, value: { type: 'integer' } }, primaryKey: ['id'], indexes: [] },
    store_generation_commits: { columns: { txid: { type: 'integer' } }, primaryKey: ['txid'], indexes: [] },
  },
};
