import { sql, type Kysely } from 'kysely';

/**
 * Who runs an ingest run, so another process resumes only a run whose owner is gone (issue 21): the
 * owner's host and pid (a process on the same host that no longer exists is gone at once), a token per
 * claim (a process whose run was taken over cannot write its checkpoint), and a lease the owner renews
 * while it runs (epoch ms; an owner on another host is gone when it has run out).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE ingest_runs ADD COLUMN owner_token TEXT`.execute(db);
  await sql`ALTER TABLE ingest_runs ADD COLUMN owner_host TEXT`.execute(db);
  await sql`ALTER TABLE ingest_runs ADD COLUMN owner_pid INTEGER`.execute(db);
  await sql`ALTER TABLE ingest_runs ADD COLUMN lease_until_ms BIGINT`.execute(db);
}
