import type { Kysely } from 'kysely';

/**
 * SQLite's twin of postgres/0010-generation.ts, which adds a generation counter bumped by triggers.
 * SQLite needs no table: its connection reports the same thing for free (`data_version` moves when
 * another connection commits, `total_changes()` when this one writes; see sqliteGeneration in
 * ../db.ts), and a trigger per written row would slow bulk ingests. Kept so both dialects list the
 * same migrations in the same order.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}
