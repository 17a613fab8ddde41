import { sql, type Kysely } from 'kysely';

/** PostgreSQL twin of ../0002-announcement-days.ts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE announcement_days (
      announced_on TEXT NOT NULL,
      category TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('announcement', 'weekend', 'holiday', 'empty')),
      listed INTEGER NOT NULL DEFAULT 0,
      stored INTEGER NOT NULL DEFAULT 0,
      checked_at TEXT NOT NULL,
      PRIMARY KEY (announced_on, category)
    )`,
    `CREATE TABLE http_validators (
      url TEXT PRIMARY KEY,
      etag TEXT,
      last_modified TEXT,
      updated_at TEXT NOT NULL
    )`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
