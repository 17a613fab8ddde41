import { sql, type Kysely } from 'kysely';

/**
 * Summary claims (docs/deploy.md, "Workers"): before a worker asks an LLM about a paper version it
 * claims the version here, with a lease. A second worker finds the live claim and leaves the version
 * alone; a worker killed mid-call leaves a claim that expires, and the retried job claims it again.
 * The claim goes with the summary write, in the same transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE summary_claims (
    paper_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    owner TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    PRIMARY KEY (paper_id, version)
  )`.execute(db);
}
