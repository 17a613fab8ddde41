import { sql } from 'kysely';
import type { Db } from '../db.ts';

/** A row of the embedded queue's table as a worker takes it. */
export interface SqliteJobRow {
  id: number;
  stage: string;
  key: string;
  data: string;
  attempts: number;
}

export interface SqliteJobToAdd {
  stage: string;
  key: string;
  data: string;
  maxAttempts: number;
  runAfter: string;
}

/** The tables a job queue keeps in the store: `job_queue` on SQLite, pg-boss's own `pgboss.job` on PostgreSQL. */
export type JobsTable = SqliteJobsTable | PostgresJobsTable;

abstract class JobsTableBase {
  constructor(protected readonly db: Db) {}
}

/**
 * The job table of the embedded queue (SQLite). It belongs to the queue (like pg-boss's own schema),
 * not to the store's migrations: `ensure` creates it on first use.
 */
export class SqliteJobsTable extends JobsTableBase {
  readonly kind = 'sqlite' as const;

  async ensure(): Promise<void> {
    await sql`CREATE TABLE IF NOT EXISTS job_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stage TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'active', 'retry', 'done', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_after TEXT NOT NULL,
    lease_until TEXT,
    owner TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(this.db);
    await sql`CREATE INDEX IF NOT EXISTS job_queue_due ON job_queue (stage, state, run_after)`.execute(this.db);
  }

  /** Marks dead the active jobs whose lease ran out with no attempts left. */
  async killExpiredExhausted(now: string): Promise<void> {
    await sql`UPDATE job_queue SET state = 'dead', last_error = coalesce(last_error, 'lease expired'), updated_at = ${now}
      WHERE state = 'active' AND lease_until < ${now} AND attempts >= max_attempts`.execute(this.db);
  }

  /** Moves the next due job of these stages (or one whose lease ran out) to `active` under a lease; returns it, if any. */
  async takeNext(stages: readonly string[], now: string, leaseUntil: string, owner: string): Promise<SqliteJobRow | undefined> {
    const taken = await sql<SqliteJobRow>`UPDATE job_queue
      SET state = 'active', attempts = attempts + 1, lease_until = ${leaseUntil}, owner = ${owner}, updated_at = ${now}
      WHERE id = (SELECT id FROM job_queue
        WHERE stage IN (SELECT value FROM json_each(${JSON.stringify(stages)}))
          AND ((state IN ('queued', 'retry') AND run_after <= ${now}) OR (state = 'active' AND lease_until < ${now}))
        ORDER BY run_after, id LIMIT 1)
      RETURNING id, stage, key, data, attempts`.execute(this.db);
    return taken.rows[0];
  }

  async markDone(id: number, now: string): Promise<void> {
    await sql`UPDATE job_queue SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = ${now} WHERE id = ${id}`.execute(this.db);
  }

  /** A failed attempt: retried after `runAfter`, or dead when no attempts are left. */
  async markFailed(id: number, message: string, runAfter: string, now: string): Promise<void> {
    await sql`UPDATE job_queue
      SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'retry' END,
          run_after = ${runAfter}, lease_until = NULL, last_error = ${message}, updated_at = ${now}
      WHERE id = ${id}`.execute(this.db);
  }

  /** Adds jobs whose key is new, in one transaction; returns how many were added. */
  async addNew(jobs: readonly SqliteJobToAdd[], now: string): Promise<number> {
    let added = 0;
    await this.db.transaction().execute(async (tx) => {
      for (const job of jobs) {
        const result = await sql`INSERT INTO job_queue (stage, key, data, max_attempts, run_after, created_at, updated_at)
            VALUES (${job.stage}, ${job.key}, ${job.data}, ${job.maxAttempts}, ${job.runAfter}, ${now}, ${now})
            ON CONFLICT (key) DO NOTHING`.execute(tx);
        added += Number(result.numAffectedRows ?? 0n);
      }
    });
    return added;
  }

  /** Number of jobs per (stage, state). */
  async countsByStageAndState(): Promise<Array<{ stage: string; state: string; n: number }>> {
    const rows = await sql<{ stage: string; state: string; n: number }>`SELECT stage, state, count(*) AS n FROM job_queue GROUP BY stage, state ORDER BY stage, state`.execute(this.db);
    return rows.rows;
  }

  /** The most recently failed dead jobs. */
  async deadJobs(limit: number): Promise<Array<{ id: number; stage: string; key: string; attempts: number; last_error: string | null; updated_at: string }>> {
    const rows = await sql<{ id: number; stage: string; key: string; attempts: number; last_error: string | null; updated_at: string }>`
        SELECT id, stage, key, attempts, last_error, updated_at FROM job_queue WHERE state = 'dead' ORDER BY updated_at DESC LIMIT ${limit}`.execute(this.db);
    return rows.rows;
  }
}

/** pg-boss's job table (schema `pgboss`, which pg-boss creates and writes); papersift only reads it. */
export class PostgresJobsTable extends JobsTableBase {
  readonly kind = 'postgres' as const;

  /** Number of papersift jobs per (queue name, state). */
  async countsByNameAndState(): Promise<Array<{ name: string; state: string; n: number }>> {
    const rows = await sql<{ name: string; state: string; n: number }>`
        SELECT name, state::text AS state, count(*) AS n FROM pgboss.job WHERE name LIKE 'papersift-%' GROUP BY 1, 2 ORDER BY 1, 2`.execute(this.db);
    return rows.rows;
  }

  /** The most recently failed or cancelled papersift jobs. */
  async failedJobs(limit: number): Promise<Array<{ id: string; name: string; data: { key?: string }; retry_count: number; output: { message?: string } | null; completed_on: Date | null }>> {
    const rows = await sql<{ id: string; name: string; data: { key?: string }; retry_count: number; output: { message?: string } | null; completed_on: Date | null }>`
        SELECT id::text AS id, name, data, retry_count, output, completed_on FROM pgboss.job
        WHERE name LIKE 'papersift-%' AND state IN ('failed', 'cancelled') ORDER BY completed_on DESC NULLS LAST LIMIT ${limit}`.execute(this.db);
    return rows.rows;
  }
}
