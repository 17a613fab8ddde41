import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import {
  jobDataSchemas,
  retryDelaySeconds,
  STAGES,
  type DeadLetter,
  type Job,
  type JobHandler,
  type JobQueue,
  type JobSpec,
  type JobState,
  type RetryPolicy,
  type Stage,
  type StateCount,
  type Worker,
} from './queue.ts';

/**
 * The embedded default: jobs in a table of the SQLite store, taken by an UPDATE … RETURNING that
 * moves one due row to `active` with a lease. SQLite has one writer at a time, so taking a job is
 * atomic without row locks. The table belongs to the queue (like pg-boss's own schema), not to the
 * store's migrations: it is created here on first use.
 */
const POLL_MS = 250;

interface JobRow {
  id: number;
  stage: Stage;
  key: string;
  data: string;
  attempts: number;
}

export async function openSqliteQueue(store: Store, policy: RetryPolicy): Promise<JobQueue> {
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
  )`.execute(store.db);
  await sql`CREATE INDEX IF NOT EXISTS job_queue_due ON job_queue (stage, state, run_after)`.execute(store.db);
  const owner = `${hostname()}:${process.pid}`;

  async function take(stages: readonly Stage[]): Promise<Job | null> {
    const now = new Date().toISOString();
    // A job whose lease ran out died with its worker: retried if attempts remain, else dead.
    await sql`UPDATE job_queue SET state = 'dead', last_error = coalesce(last_error, 'lease expired'), updated_at = ${now}
      WHERE state = 'active' AND lease_until < ${now} AND attempts >= max_attempts`.execute(store.db);
    const leaseUntil = new Date(Date.now() + policy.leaseSeconds * 1000).toISOString();
    const taken = await sql<JobRow>`UPDATE job_queue
      SET state = 'active', attempts = attempts + 1, lease_until = ${leaseUntil}, owner = ${owner}, updated_at = ${now}
      WHERE id = (SELECT id FROM job_queue
        WHERE stage IN (SELECT value FROM json_each(${JSON.stringify(stages)}))
          AND ((state IN ('queued', 'retry') AND run_after <= ${now}) OR (state = 'active' AND lease_until < ${now}))
        ORDER BY run_after, id LIMIT 1)
      RETURNING id, stage, key, data, attempts`.execute(store.db);
    const row = taken.rows[0];
    if (!row) return null;
    const data = jobDataSchemas[row.stage].parse(JSON.parse(row.data));
    return { id: String(row.id), stage: row.stage, key: row.key, data, attempt: row.attempts } as Job;
  }

  async function settle(job: Job, error: unknown): Promise<void> {
    const now = new Date();
    if (error === null) {
      await sql`UPDATE job_queue SET state = 'done', lease_until = NULL, last_error = NULL, updated_at = ${now.toISOString()} WHERE id = ${Number(job.id)}`.execute(store.db);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const runAfter = new Date(now.getTime() + retryDelaySeconds(policy, job.attempt) * 1000).toISOString();
    await sql`UPDATE job_queue
      SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'retry' END,
          run_after = ${runAfter}, lease_until = NULL, last_error = ${message}, updated_at = ${now.toISOString()}
      WHERE id = ${Number(job.id)}`.execute(store.db);
  }

  return {
    kind: 'sqlite',
    async enqueue(jobs: JobSpec[]): Promise<number> {
      const at = Date.now();
      const now = new Date(at).toISOString();
      let added = 0;
      await store.db.transaction().execute(async (tx) => {
        for (const job of jobs) {
          const runAfter = job.delaySeconds ? new Date(at + job.delaySeconds * 1000).toISOString() : now;
          const result = await sql`INSERT INTO job_queue (stage, key, data, max_attempts, run_after, created_at, updated_at)
            VALUES (${job.stage}, ${job.key}, ${JSON.stringify(job.data)}, ${policy.maxAttempts}, ${runAfter}, ${now}, ${now})
            ON CONFLICT (key) DO NOTHING`.execute(tx);
          added += Number(result.numAffectedRows ?? 0n);
        }
      });
      return added;
    },
    async work(stages: readonly Stage[], concurrency: number, handler: JobHandler): Promise<Worker> {
      let stopping = false;
      let wake: (() => void) | null = null;
      const slot = async () => {
        while (!stopping) {
          const job = await take(stages);
          if (!job) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, POLL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            continue;
          }
          let failure: unknown = null;
          try {
            await handler(job);
          } catch (error) {
            failure = error ?? new Error('job failed');
          }
          await settle(job, failure);
          // better-sqlite3 answers synchronously, so a run of jobs would be one unbroken chain of
          // microtasks: yield to the event loop so signals (graceful shutdown), timers and requests get in.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      };
      const slots = Array.from({ length: concurrency }, () => slot());
      return {
        stop: async () => {
          stopping = true;
          (wake as (() => void) | null)?.();
          await Promise.all(slots);
        },
      };
    },
    async counts(): Promise<StateCount[]> {
      const rows = await sql<{ stage: Stage; state: JobState; n: number }>`SELECT stage, state, count(*) AS n FROM job_queue GROUP BY stage, state ORDER BY stage, state`.execute(store.db);
      return rows.rows.filter((r) => (STAGES as readonly string[]).includes(r.stage)).map((r) => ({ stage: r.stage, state: r.state, count: Number(r.n) }));
    },
    async deadLetters(limit = 50): Promise<DeadLetter[]> {
      const rows = await sql<{ id: number; stage: Stage; key: string; attempts: number; last_error: string | null; updated_at: string }>`
        SELECT id, stage, key, attempts, last_error, updated_at FROM job_queue WHERE state = 'dead' ORDER BY updated_at DESC LIMIT ${limit}`.execute(store.db);
      return rows.rows.map((r) => ({ id: String(r.id), stage: r.stage, key: r.key, attempts: r.attempts, error: r.last_error, failedAt: r.updated_at }));
    },
    async close() {},
  };
}
