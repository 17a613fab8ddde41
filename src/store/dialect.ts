import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Which SQL dialect a store (or a transaction of it) speaks. Repositories are written once against
 * Kysely; the few statements that must differ (placeholders, JSON lists, full-text search) ask here.
 * The adapter is shared by a Kysely instance and its transactions, so a `tx` answers like its store.
 */
export type Dialect = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table set: only the executor is read
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
