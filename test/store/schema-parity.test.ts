import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { MIGRATION_NAMES } from '../../src/store/db.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { makeTempDir } from '../helpers/context.ts';
import { onlyBackend } from '../helpers/database.ts';

const ONCE = onlyBackend('sqlite', 'compares a SQLite and a PostgreSQL store itself, so it runs once, in the SQLite suite');
import { createTestDatabase } from '../helpers/postgres.ts';

/**
 * The two dialects' migrations are kept in step: both list the same migrations, and a store migrated
 * to the latest on SQLite and on a real PostgreSQL server has the same tables, columns (by type
 * affinity and nullability) and named indexes. The search index is the one intended difference:
 * FTS5's shadow tables on SQLite, a `rowid` key and a tsvector `document` column (GIN) on PostgreSQL.
 */

type Column = { name: string; type: 'integer' | 'text' | 'real' | 'tsvector'; notNull: boolean };
type Shape = { tables: Record<string, Column[]>; indexes: string[] };

const FTS5_SHADOW = /^papers_fts_(data|idx|content|docsize|config)$/;
const KYSELY_TABLES = /^kysely_migration/;

function affinity(declared: string): Column['type'] {
  const t = declared.toLowerCase();
  if (t.includes('int')) return 'integer';
  if (t.includes('char') || t.includes('text')) return 'text';
  if (t.includes('tsvector')) return 'tsvector';
  if (t.includes('real') || t.includes('double') || t.includes('float')) return 'real';
  // FTS5 columns have no declared type; they hold text.
  return 'text';
}

async function sqliteShape(store: Store): Promise<Shape> {
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(store.db);
  const shape: Shape = { tables: {}, indexes: [] };
  for (const { name } of tables.rows) {
    if (FTS5_SHADOW.test(name) || KYSELY_TABLES.test(name)) continue;
    const columns = await sql<{ name: string; type: string; notnull: number; pk: number }>`SELECT name, type, "notnull", pk FROM pragma_table_info(${name})`.execute(store.db);
    // SQLite lets an INTEGER PRIMARY KEY be declared without NOT NULL; it can never hold NULL.
    shape.tables[name] = columns.rows.map((c) => ({ name: c.name, type: affinity(c.type), notNull: c.notnull === 1 || (c.pk > 0 && affinity(c.type) === 'integer') || c.pk > 0 }));
  }
  const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`.execute(store.db);
  shape.indexes = indexes.rows.map((r) => r.name);
  return shape;
}

async function postgresShape(store: Store): Promise<Shape> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(store.db);
  const shape: Shape = { tables: {}, indexes: [] };
  for (const c of columns.rows) {
    if (KYSELY_TABLES.test(c.table_name)) continue;
    (shape.tables[c.table_name] ??= []).push({ name: c.column_name, type: affinity(c.data_type), notNull: c.is_nullable === 'NO' });
  }
  // Indexes behind PRIMARY KEY / UNIQUE constraints are SQLite's autoindexes: compare named indexes only.
  const indexes = await sql<{ indexname: string }>`
    SELECT i.indexname FROM pg_indexes i
    WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
    ORDER BY i.indexname`.execute(store.db);
  shape.indexes = indexes.rows.map((r) => r.indexname).filter((n) => !KYSELY_TABLES.test(n));
  return shape;
}

let sqliteStore: Store;
let postgresStore: Store;
let cleanup: () => void;
let dropDatabase: () => Promise<void>;

before(async () => {
  if (ONCE.skip) return;
  const temp = makeTempDir();
  cleanup = temp.cleanup;
  sqliteStore = await openStore({ dialect: 'sqlite', file: path.join(temp.dir, 'parity.db') });
  const database = await createTestDatabase();
  dropDatabase = database.drop;
  postgresStore = await openStore({ dialect: 'postgres', url: database.url });
});

after(async () => {
  await sqliteStore?.close();
  await postgresStore?.close();
  await dropDatabase?.();
  cleanup?.();
});

test('both dialects list the same migrations in the same order', ONCE, () => {
  assert.deepEqual(MIGRATION_NAMES.postgres, MIGRATION_NAMES.sqlite);
});

test('SQLite and PostgreSQL end with the same tables, columns and indexes', ONCE, async () => {
  const lite = await sqliteShape(sqliteStore);
  const postgres = await postgresShape(postgresStore);
  // The intended differences of the search index, named so any other drift fails.
  const fts = postgres.tables.papers_fts ?? [];
  assert.deepEqual(fts.filter((c) => c.name === 'rowid' || c.name === 'document').map((c) => [c.name, c.type]), [['rowid', 'integer'], ['document', 'tsvector']]);
  postgres.tables.papers_fts = fts.filter((c) => c.name !== 'rowid' && c.name !== 'document').map((c) => ({ ...c, notNull: false }));
  lite.tables.papers_fts = (lite.tables.papers_fts ?? []).map((c) => ({ ...c, notNull: false }));
  assert.ok(postgres.indexes.includes('papers_fts_document'), 'GIN index over the tsvector');
  postgres.indexes = postgres.indexes.filter((n) => n !== 'papers_fts_document');

  assert.deepEqual(Object.keys(postgres.tables).sort(), Object.keys(lite.tables).sort());
  for (const table of Object.keys(lite.tables)) assert.deepEqual(postgres.tables[table], lite.tables[table], `columns of ${table}`);
  assert.deepEqual(postgres.indexes, lite.indexes);
});
