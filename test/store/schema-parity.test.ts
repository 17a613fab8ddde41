import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { MIGRATION_NAMES, type Db } from '../../src/store/db.ts';
import { DIALECT_ONLY_TABLES, SEARCH_INDEX, TABLES, type ColumnDescription, type TableDescription } from '../../src/store/schema-description.ts';
import type { Store } from '../../src/store/store.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { testBackend } from '../helpers/postgres.ts';

/**
 * One schema description (src/store/schema-description.ts, which the compiler ties to schema.ts's
 * row types) and the schema a store of this run's backend has after every migration: the same
 * tables, columns in order with type and nullability, primary keys and named indexes. Both suites
 * run it, so SQLite's and PostgreSQL's migrations are each held to the one description; the search
 * index, whose form differs by design, is compared with its own description.
 */

type Shape = Record<string, TableDescription>;
type SearchColumns = Array<[name: string, type: string]>;

const KYSELY_TABLES = /^kysely_migration/;

function affinity(declared: string): ColumnDescription['type'] | 'tsvector' | 'none' {
  const t = declared.toLowerCase();
  if (t.includes('int')) return 'integer';
  if (t.includes('char') || t.includes('text')) return 'text';
  if (t.includes('real') || t.includes('double') || t.includes('float')) return 'real';
  if (t.includes('tsvector')) return 'tsvector';
  // FTS5 columns have no declared type.
  return 'none';
}

function column(type: string, nullable: boolean): ColumnDescription {
  const kind = affinity(type);
  assert.ok(kind === 'integer' || kind === 'text' || kind === 'real', `column type ${type} is not one the description knows`);
  return nullable ? { type: kind, nullable: true } : { type: kind };
}

async function sqliteShape(db: Db): Promise<{ tables: Shape; search: SearchColumns; shadow: string[] }> {
  const names = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)).rows.map((r) => r.name);
  const tables: Shape = {};
  let search: SearchColumns = [];
  const shadow = names.filter((n) => n.startsWith(`${SEARCH_INDEX.table}_`));
  for (const name of names) {
    if (KYSELY_TABLES.test(name) || shadow.includes(name)) continue;
    const columns = (await sql<{ name: string; type: string; notnull: number; pk: number }>`SELECT name, type, "notnull", pk FROM pragma_table_info(${name}) ORDER BY cid`.execute(db)).rows;
    if (name === SEARCH_INDEX.table) {
      search = columns.map((c) => [c.name, affinity(c.type)]);
      continue;
    }
    const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ${name} AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`.execute(db);
    tables[name] = {
      // A PRIMARY KEY column never holds NULL in practice, though SQLite lets one be declared without NOT NULL.
      columns: Object.fromEntries(columns.map((c) => [c.name, column(c.type, c.notnull === 0 && c.pk === 0)])),
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      indexes: indexes.rows.map((r) => r.name),
    };
  }
  return { tables, search, shadow };
}

async function postgresShape(db: Db): Promise<{ tables: Shape; search: SearchColumns; indexes: string[] }> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(db);
  const keys = await sql<{ table_name: string; column_name: string }>`
    SELECT c.relname AS table_name, a.attname AS column_name
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE i.indisprimary AND n.nspname = 'public' ORDER BY c.relname, k.position`.execute(db);
  // Indexes behind PRIMARY KEY / UNIQUE constraints are SQLite's autoindexes: named indexes only.
  const indexes = await sql<{ tablename: string; indexname: string }>`
    SELECT i.tablename, i.indexname FROM pg_indexes i
    WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
    ORDER BY i.indexname`.execute(db);
  const tables: Shape = {};
  const search: SearchColumns = [];
  for (const c of columns.rows) {
    if (KYSELY_TABLES.test(c.table_name)) continue;
    if (c.table_name === SEARCH_INDEX.table) {
      search.push([c.column_name, affinity(c.data_type)]);
      continue;
    }
    const table = (tables[c.table_name] ??= { columns: {}, primaryKey: [], indexes: [] });
    table.columns[c.column_name] = column(c.data_type, c.is_nullable === 'YES');
  }
  for (const k of keys.rows) if (tables[k.table_name]) (tables[k.table_name]!.primaryKey as string[]).push(k.column_name);
  for (const i of indexes.rows) if (tables[i.tablename]) (tables[i.tablename]!.indexes as string[]).push(i.indexname);
  return { tables, search, indexes: indexes.rows.filter((i) => i.tablename === SEARCH_INDEX.table).map((i) => i.indexname) };
}

/** What this dialect's migrations must create: the shared tables and its own. */
function described(dialect: 'sqlite' | 'postgres'): Shape {
  const shared: Shape = Object.fromEntries(
    Object.entries(TABLES).map(([name, table]): [string, TableDescription] => [name, { columns: { ...table.columns }, primaryKey: [...table.primaryKey], indexes: [...table.indexes].sort() }]),
  );
  return { ...shared, ...DIALECT_ONLY_TABLES[dialect] };
}

let store: Store;
let cleanup: () => void;

before(async () => {
  const temp = makeTempDir();
  cleanup = temp.cleanup;
  store = await (await freshDatabase(temp.dir, 'parity')).open();
});

after(async () => {
  await store?.close();
  await dropTestDatabases();
  cleanup?.();
});

test('both dialects list the same migrations in the same order', () => {
  assert.deepEqual(MIGRATION_NAMES.postgres, MIGRATION_NAMES.sqlite);
});

test(`the migrated ${testBackend()} schema is the one schema description`, async () => {
  const expected = described(store.dialect);
  const searchColumns = SEARCH_INDEX.columns.map((name) => [name, store.dialect === 'sqlite' ? 'none' : 'text']);
  if (store.dialect === 'sqlite') {
    const actual = await sqliteShape(store.db);
    assert.deepEqual(actual.search, searchColumns, 'FTS5 columns of the search index');
    assert.deepEqual(actual.shadow, [...SEARCH_INDEX.sqliteShadowTables], "FTS5's shadow tables");
    assert.deepEqual(Object.keys(actual.tables).sort(), Object.keys(expected).sort(), 'tables');
    for (const name of Object.keys(expected)) assert.deepEqual(actual.tables[name], expected[name], `table ${name}`);
  } else {
    const actual = await postgresShape(store.db);
    const { key, document, index } = SEARCH_INDEX.postgres;
    assert.deepEqual(actual.search, [[key, 'integer'], ...searchColumns, [document, 'tsvector']], 'columns of the search index');
    assert.deepEqual(actual.indexes, [index], 'the GIN index over the tsvector');
    assert.deepEqual(Object.keys(actual.tables).sort(), Object.keys(expected).sort(), 'tables');
    for (const name of Object.keys(expected)) assert.deepEqual(actual.tables[name], expected[name], `table ${name}`);
  }
});
