import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseTarget } from '../config/config.ts';
import type { Database } from './schema.ts';
import * as initialSchema from './migrations/0001-initial-schema.ts';
import * as announcementDays from './migrations/0002-announcement-days.ts';
import * as llmLedger from './migrations/0003-llm-ledger.ts';
import * as summaryRubric from './migrations/0005-summary-rubric.ts';

/** Ordered, forward-only migrations; the key order is the apply order. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-announcement-days': announcementDays,
  '0003-llm-ledger': llmLedger,
  '0005-summary-rubric': summaryRubric,
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  return db;
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
