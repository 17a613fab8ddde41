import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type Migration, type MigrationProvider, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { DatabaseTarget } from '../config/config.ts';
import { startBackgroundCheckpoints, WRITER_AUTOCHECKPOINT_PAGES, type BackgroundCheckpoints } from './checkpoints.ts';
import type { Database } from './schema.ts';
import * as initialSchema from './migrations/0001-initial-schema.ts';
import * as announcementDays from './migrations/0002-announcement-days.ts';
import * as llmLedger from './migrations/0003-llm-ledger.ts';
import * as authorEnrichment from './migrations/0004-author-enrichment.ts';
import * as summaryRubric from './migrations/0005-summary-rubric.ts';
import * as dropAuthorNameIndex from './migrations/0006-drop-author-name-index.ts';
import * as searchAuthorsSummaries from './migrations/0007-search-authors-summaries.ts';
import * as markAuthorChanges from './migrations/0008-mark-author-changes-in-ingest.ts';
import * as summaryClaims from './migrations/0009-summary-claims.ts';
import * as generation from './migrations/0010-generation.ts';
import * as pgSummaryClaims from './migrations/postgres/0009-summary-claims.ts';
import * as pgGeneration from './migrations/postgres/0010-generation.ts';
import * as rateGates from './migrations/0011-rate-gates.ts';
import * as pgRateGates from './migrations/postgres/0011-rate-gates.ts';
import * as llmCallTruncated from './migrations/0012-llm-call-truncated.ts';
import * as pgLlmCallTruncated from './migrations/postgres/0012-llm-call-truncated.ts';
import * as ingestRunOwner from './migrations/0013-ingest-run-owner.ts';
import * as pgIngestRunOwner from './migrations/postgres/0013-ingest-run-owner.ts';
import * as readers from './migrations/0014-readers.ts';
import * as pgReaders from './migrations/postgres/0014-readers.ts';
import * as pgInitialSchema from './migrations/postgres/0001-initial-schema.ts';
import * as pgAnnouncementDays from './migrations/postgres/0002-announcement-days.ts';
import * as pgLlmLedger from './migrations/postgres/0003-llm-ledger.ts';
import * as pgAuthorEnrichment from './migrations/postgres/0004-author-enrichment.ts';
import * as pgSummaryRubric from './migrations/postgres/0005-summary-rubric.ts';
import * as pgDropAuthorNameIndex from './migrations/postgres/0006-drop-author-name-index.ts';
import * as pgSearchAuthorsSummaries from './migrations/postgres/0007-search-authors-summaries.ts';
import * as pgMarkAuthorChanges from './migrations/postgres/0008-mark-author-changes-in-ingest.ts';
import { dialectOf, type Dialect } from './dialect.ts';

/** Ordered, forward-only migrations; the key order is the apply order. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-announcement-days': announcementDays,
  '0003-llm-ledger': llmLedger,
  '0004-author-enrichment': authorEnrichment,
  '0005-summary-rubric': summaryRubric,
  '0006-drop-author-name-index': dropAuthorNameIndex,
  '0007-search-authors-summaries': searchAuthorsSummaries,
  '0008-mark-author-changes-in-ingest': markAuthorChanges,
  '0009-summary-claims': summaryClaims,
  '0010-generation': generation,
  '0011-rate-gates': rateGates,
  '0012-llm-call-truncated': llmCallTruncated,
  '0013-ingest-run-owner': ingestRunOwner,
  '0014-readers': readers,
};

/** The same names in the same order as MIGRATIONS (test/store/schema-parity.test.ts keeps them in step). */
const POSTGRES_MIGRATIONS: Record<string, Migration> = {
  '0001-initial-schema': pgInitialSchema,
  '0002-announcement-days': pgAnnouncementDays,
  '0003-llm-ledger': pgLlmLedger,
  '0004-author-enrichment': pgAuthorEnrichment,
  '0005-summary-rubric': pgSummaryRubric,
  '0006-drop-author-name-index': pgDropAuthorNameIndex,
  '0007-search-authors-summaries': pgSearchAuthorsSummaries,
  '0008-mark-author-changes-in-ingest': pgMarkAuthorChanges,
  '0009-summary-claims': pgSummaryClaims,
  '0010-generation': pgGeneration,
  '0011-rate-gates': pgRateGates,
  '0012-llm-call-truncated': pgLlmCallTruncated,
  '0013-ingest-run-owner': pgIngestRunOwner,
  '0014-readers': pgReaders,
};

export const MIGRATION_NAMES: Record<Dialect, string[]> = { sqlite: Object.keys(MIGRATIONS), postgres: Object.keys(POSTGRES_MIGRATIONS) };

const migrationProviders: Record<Dialect, MigrationProvider> = {
  sqlite: { getMigrations: async () => MIGRATIONS },
  postgres: { getMigrations: async () => POSTGRES_MIGRATIONS },
};

/** The Kysely handle of a store (or a transaction of it): only src/store and tests use it. */
export type Db = Kysely<Database>;

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Opens (creating if needed) the database and brings its schema up to date; `openStore` wraps it in repositories. */
export async function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Db> {
  if (target.dialect === 'postgres') return openPostgresStore(target.url, options.poolSize ?? 10);
  if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const sqlite = new SQLite(target.file);
  // Rows hold whole abstracts: 16 KiB pages keep them off overflow chains (only takes effect on a new file).
  sqlite.pragma('page_size = 16384');
  // WAL lets the web server read while an ingest writes; NORMAL sync is crash-safe in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes write one file (serve's pass, command-line runs, workers): a writer may hold the
  // lock for seconds on a loaded machine; waiting that out beats failing with "database is locked".
  sqlite.pragma('busy_timeout = 30000');
  let checkpoints: BackgroundCheckpoints | null = null;
  if (target.file !== ':memory:') {
    sqlite.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
    // After a checkpoint the WAL is reused from its start; this truncates a file a burst made large.
    sqlite.pragma('journal_size_limit = 67108864');
    checkpoints = startBackgroundCheckpoints(target.file);
  }
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, () => checkpoints?.stop()) }),
  });
  const generation = sqlite.prepare('SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version');
  sqliteGenerations.set(db, () => {
    const row = generation.get() as { changes: number; version: number };
    return `${row.version}:${row.changes}`;
  });
  await migrateToLatest(db);
  return db;
}

const sqliteGenerations = new WeakMap<Db, () => string>();

/**
 * A SQLite store's generation: rows its connection has changed since it opened (`total_changes()`)
 * and SQLite's `data_version`, which moves whenever another connection (a CLI run, another process)
 * commits; either changing means what was read before may be out of date. Read straight from the
 * connection by one prepared statement (a few µs, where a query through Kysely costs tens): the page
 * cache reads it on every request; a read statement, so it runs even while a streamed query holds the
 * connection. Null for PostgreSQL; throws once the connection is closed.
 */
export function sqliteGeneration(store: Db): string | null {
  return sqliteGenerations.get(store)?.() ?? null;
}

// pg hands 64-bit integers (count(*), sum of integers) and numerics back as strings so no precision
// is lost; every such value here is a count or a sum far below 2^53, and the repositories expect numbers.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

async function openPostgresStore(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  // An idle connection the server dropped (restart, failover) must not take the process down.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every statement it runs; SQLite's parser and planner then cost more than running a
 * small statement. The repositories build the same SQL text again and again, so prepared statements
 * are kept by text (least recently used dropped first). A statement still being iterated is busy and
 * cannot be rebound, so a fresh one is prepared for the nested use.
 */
function withStatementCache(sqlite: SQLite.Database, beforeClose: () => void): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      beforeClose();
      sqlite.close();
    },
    prepare(text: string): SqliteStatement {
      // SQLite may end a transaction itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM…);
      // Kysely's ROLLBACK then fails with "cannot rollback - no transaction is active" and that error
      // replaces the real one ("database or disk is full"). Nothing to roll back is not an error.
      // Kysely opens every transaction with a plain (deferred) BEGIN. A deferred transaction that reads
      // first and then writes cannot wait for another process's commit: SQLite answers "database is
      // locked" at once (its snapshot is stale), busy_timeout or not. Measured: `serve` and two
      // `papersift ingest` on one file failed so. IMMEDIATE takes the write lock up front, waiting for it.
      if (/^begin$/i.test(text)) return sqlite.prepare('BEGIN IMMEDIATE');
      if (/^rollback$/i.test(text)) {
        const rollback = sqlite.prepare(text);
        return {
          reader: false,
          all: (parameters) => (sqlite.inTransaction ? rollback.all(parameters) : []),
          run: (parameters) => (sqlite.inTransaction ? rollback.run(parameters) : { changes: 0, lastInsertRowid: 0 }),
          iterate: (parameters) => rollback.iterate(parameters),
        };
      }
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        // Re-inserting moves the entry to the young end of the map's order.
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProviders[dialectOf(db)] });
  const run = async () => {
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new MigrationError(`migration ${failed} failed: ${String(error)}`, { cause: error });
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  // PostgreSQL: Kysely runs each migration in a transaction and serialises concurrent starts (several
  // workers) with its lock table.
  if (dialectOf(db) === 'postgres') return run();
  // SQLite: Kysely runs migrations outside any transaction (its adapter reports no transactional DDL,
  // though SQLite has it), so a migration failing half-way (a full disk) left its first statements
  // committed and the file unopenable ("table … already exists"). One transaction around the pending
  // migrations and their bookkeeping makes a start all-or-nothing.
  // (Kysely refuses a Migrator over a Transaction; the store has one connection, and nothing else runs
  // while it opens, so BEGIN/COMMIT on it bracket exactly the migrator's statements.)
  await sql`BEGIN IMMEDIATE`.execute(db);
  try {
    const applied = await run();
    await sql`COMMIT`.execute(db).catch((error: unknown) => {
      throw new MigrationError(`migrations could not be committed: ${String(error)}`, { cause: error });
    });
    return applied;
  } catch (error) {
    await sql`ROLLBACK`.execute(db).catch(() => {});
    throw error;
  }
}

/** Migrations this build knows that the database has not applied (empty when the schema is current). */
export async function migrationsPending(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProviders[dialectOf(db)] });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Runs `work` in the caller's transaction when `db` is one, else in a new transaction. */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
