import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../../src/config/config.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase, testBackend } from './postgres.ts';

/**
 * "A fresh database for this backend", for tests that hand a DATABASE_URL to child processes (the CLI,
 * `serve`, workers) or open several stores: a SQLite file in the given temp dir, or a new database on the
 * PostgreSQL test server when the suite runs with --backend postgres. It starts empty, or as a copy of
 * `copyOf` (closed: no process may have it open).
 */
export interface TestDatabase {
  /** The DATABASE_URL value: a file path (SQLite) or a postgres:// URL. */
  url: string;
  target: DatabaseTarget;
  /** A new store (pool) on it; the caller destroys it. */
  open: () => Promise<Store>;
  drop: () => Promise<void>;
}

const created: TestDatabase[] = [];

export async function freshDatabase(dir: string, name: string, copyOf?: TestDatabase): Promise<TestDatabase> {
  let database: TestDatabase;
  if (testBackend() === 'postgres') {
    const pgDatabase = await createTestDatabase(copyOf?.url);
    const target: DatabaseTarget = { dialect: 'postgres', url: pgDatabase.url };
    database = { url: pgDatabase.url, target, open: () => openStore(target), drop: pgDatabase.drop };
  } else {
    const file = path.join(dir, `${name}.db`);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    // A copy of a closed database is its main file (the last connection to close checkpointed the WAL).
    if (copyOf) fs.copyFileSync(copyOf.url, file);
    const target: DatabaseTarget = { dialect: 'sqlite', file };
    const drop = async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    };
    database = { url: file, target, open: () => openStore(target), drop };
  }
  created.push(database);
  return database;
}

/** SQLite's own consistency check on a SQLite store; on PostgreSQL the server owns page integrity (crash recovery), so there is nothing to ask. */
export async function assertStorageIntact(store: Store): Promise<void> {
  if (testBackend() !== 'sqlite') return;
  const rows = (await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(store.db)).rows;
  assert.deepEqual(rows, [{ integrity_check: 'ok' }]);
}

/** Drops every database freshDatabase made in this process (register with `after`). */
export async function dropTestDatabases(): Promise<void> {
  for (const database of created.splice(0)) await database.drop();
}

/**
 * Marks a test file (or some of its tests) as inherently about one backend. Prints a visible
 * `# sqlite-only: reason` line and returns test options that skip with that reason on the other
 * backend, so the PG run's report lists it as skipped, with the reason, rather than passing silently.
 */
export function onlyBackend(backend: 'sqlite' | 'postgres', reason: string): { skip: string | false } {
  const note = `${backend}-only: ${reason}`;
  console.log(`# ${note}`);
  return { skip: testBackend() === backend ? false : note };
}
