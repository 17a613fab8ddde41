import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Db } from './db.ts';
import { dialectOf, type Dialect } from './dialect.ts';
import type { Database } from './schema.ts';

/**
 * Set-based writes for the ingest path. Kysely's builder spends more time assembling a 500-row
 * VALUES list than SQLite spends storing it, and every new statement text has to be parsed and
 * planned again. Here the SQL text is built by hand for a few fixed batch sizes (256 rows, then
 * halves for the remainder), so the few texts per table are prepared once (see the statement cache
 * in db.ts) and the values go straight to the driver as parameters.
 */

type Column<T extends keyof Database> = keyof Database[T] & string;

const ROWS_PER_STATEMENT = 256;

/** Batch sizes for `count` rows: full batches, then the binary digits of the remainder. */
function batchSizes(count: number): number[] {
  const sizes: number[] = [];
  for (let left = count; left > 0; ) {
    let size = ROWS_PER_STATEMENT;
    while (size > left) size >>= 1;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

type InsertOptions<T extends keyof Database> = {
  ignoreConflicts?: boolean;
  returning?: ReadonlyArray<Column<T>>;
  /** Columns with one value for every row (timestamps, the source): bound once per statement, not per row. */
  shared?: Partial<Record<Column<T>, unknown>>;
};

// Statement texts by shape; building and hashing a 256-row text for every batch showed in profiles.
const insertTexts = new Map<string, string>();

function insertText<T extends keyof Database>(dialect: Dialect, table: T, columns: ReadonlyArray<Column<T>>, size: number, options: InsertOptions<T>): string {
  const shared = Object.keys(options.shared ?? {});
  const key = `${dialect}|${table}|${columns.join(',')}|${shared.join(',')}|${size}|${options.ignoreConflicts ? 1 : 0}|${options.returning?.join(',') ?? ''}`;
  let text = insertTexts.get(key);
  if (text === undefined && dialect === 'postgres') {
    text = postgresInsertText(table, columns, shared, size, options);
    insertTexts.set(key, text);
  } else if (text === undefined) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const rows = new Array<string>(size).fill(tuple).join(', ');
    // Shared values are the first parameters, then the rows' own: better-sqlite3 binds arrays to
    // anonymous parameters only, numbered in the order they appear in the text.
    const body = shared.length
      ? `SELECT ${columns.map((_, i) => `column${i + 1}`).join(', ')}, ${shared.map(() => '?').join(', ')} FROM (VALUES ${rows}) WHERE true`
      : `VALUES ${rows}`;
    text =
      `INSERT INTO ${quote(table)} (${[...columns, ...shared].map(quote).join(', ')}) ${body}` +
      (options.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : '') +
      (options.returning ? ` RETURNING ${options.returning.map(quote).join(', ')}` : '');
    insertTexts.set(key, text);
  }
  return text;
}

/**
 * PostgreSQL numbers its parameters and lets a statement use one several times, so the shared values
 * are $1..$k, referenced from every row: no `SELECT … FROM (VALUES …)` wrapper, whose untyped
 * parameters PostgreSQL would read as text instead of taking the target columns' types.
 */
function postgresInsertText(table: string, columns: readonly string[], shared: readonly string[], size: number, options: { ignoreConflicts?: boolean; returning?: readonly string[] }): string {
  const sharedRefs = shared.map((_, i) => `$${i + 1}`);
  const rows: string[] = [];
  let n = shared.length;
  for (let row = 0; row < size; row += 1) rows.push(`(${[...columns.map(() => `$${++n}`), ...sharedRefs].join(', ')})`);
  return (
    `INSERT INTO ${quote(table)} (${[...columns, ...shared].map(quote).join(', ')}) VALUES ${rows.join(', ')}` +
    (options.ignoreConflicts ? ' ON CONFLICT DO NOTHING' : '') +
    (options.returning ? ` RETURNING ${options.returning.map(quote).join(', ')}` : '')
  );
}

/**
 * Inserts rows given as one flat list of values, row after row in `columns` order (no array per row:
 * a batch holds a hundred thousand values, and the garbage of per-row arrays showed in profiles).
 * With `ignoreConflicts`, rows whose key exists are left as they are. With `returning`, the listed
 * columns of the inserted rows come back.
 */
export async function insertRows<T extends keyof Database, R = never>(
  tx: Db,
  table: T,
  columns: ReadonlyArray<Column<T>>,
  values: unknown[],
  options: InsertOptions<T> = {},
): Promise<R[]> {
  const width = columns.length;
  if (values.length % width !== 0) throw new Error(`insertRows(${table}): ${values.length} values do not make rows of ${width}`);
  const shared = Object.values(options.shared ?? {});
  const returned: R[] = [];
  const dialect = dialectOf(tx);
  let offset = 0;
  for (const size of batchSizes(values.length / width)) {
    const own = values.slice(offset * width, (offset + size) * width);
    const parameters = shared.length === 0 ? own : [...shared, ...own];
    offset += size;
    const result = await tx.executeQuery<R>(CompiledQuery.raw(insertText(dialect, table, columns, size, options), parameters));
    if (options.returning) returned.push(...result.rows);
  }
  return returned;
}

/**
 * `column IN (the values)` as one parameter, so the statement text is the same for any list: a JSON
 * text read by json_each on SQLite, an array on PostgreSQL (whose type follows the column's).
 */
export function inJsonList(db: Db, column: string, values: unknown[]): RawBuilder<boolean> {
  if (dialectOf(db) === 'postgres') return sql<boolean>`${sql.ref(column)} = ANY(${values})`;
  return sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}

/** Deletes every row of `table` whose `column` is one of `values`. */
export async function deleteWhereIn<T extends keyof Database>(tx: Db, table: T, column: Column<T>, values: unknown[]): Promise<void> {
  if (values.length === 0) return;
  await sql`DELETE FROM ${sql.table(table)} WHERE ${inJsonList(tx, column, values)}`.execute(tx);
}
