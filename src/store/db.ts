import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect, type Migration, type MigrationProvider, type SqliteDatabase, type SqliteStatement } from 'kysely';
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
};

const staticMigrations: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export type Store = Kysely<Database>;

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Opens (creating if needed) the database and brings its schema up to date. */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const sqlite = new SQLite(target.file);
  // Rows hold whole abstracts: 16 KiB pages keep them off overflow chains (only takes effect on a new file).
  sqlite.pragma('page_size = 16384');
  // WAL lets the web server read while an ingest writes; NORMAL sync is crash-safe in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
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
  await migrateToLatest(db);
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
  // Kysely runs SQLite migrations outside any transaction (its adapter reports no transactional DDL,
  // though SQLite has it), so a migration failing half-way (a full disk) left its first statements
  // committed and the file unopenable ("table … already exists"). One transaction around the pending
  // migrations and their bookkeeping makes a start all-or-nothing.
  // (Kysely refuses a Migrator over a Transaction; the store has one connection, and nothing else runs
  // while it opens, so BEGIN/COMMIT on it bracket exactly the migrator's statements.)
  await sql`BEGIN IMMEDIATE`.execute(db);
  try {
    const { error, results } = await new Migrator({ db, provider: staticMigrations }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new MigrationError(`migration ${failed} failed: ${String(error)}`, { cause: error });
    }
    await sql`COMMIT`.execute(db).catch((error: unknown) => {
      throw new MigrationError(`migrations could not be committed: ${String(error)}`, { cause: error });
    });
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } catch (error) {
    await sql`ROLLBACK`.execute(db).catch(() => {});
    throw error;
  }
}
