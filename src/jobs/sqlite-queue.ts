import { hostname } from 'node:os';
import type { SqliteJobsTable } from '../store/repositories/jobs-table.ts';
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
 * moves one due row to `active` with a lease (store.jobsTable). SQLite has one writer at a time, so
 * taking a job is atomic without row locks. The table is created on first use.
 */
const POLL_MS = 250;

export async function openSqliteQueue(table: SqliteJobsTable, policy: RetryPolicy): Promise<JobQueue> {
  await table.ensure();
  const owner = `${hostname()}:${process.pid}`;

  async function take(stages: readonly Stage[]): Promise<Job | null> {
    const now = new Date().toISOString();
    // A job whose lease ran out died with its worker: retried if attempts remain, else dead.
    await table.killExpiredExhausted(now);
    const leaseUntil = new Date(Date.now() + policy.leaseSeconds * 1000).toISOString();
    const row = await table.takeNext(stages, now, leaseUntil, owner);
    if (!row) return null;
    const stage = row.stage as Stage;
    const data = jobDataSchemas[stage].parse(JSON.parse(row.data));
    return { id: String(row.id), stage, key: row.key, data, attempt: row.attempts } as Job;
  }

  async function settle(job: Job, error: unknown): Promise<void> {
    const now = new Date();
    if (error === null) {
      await table.markDone(Number(job.id), now.toISOString());
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const runAfter = new Date(now.getTime() + retryDelaySeconds(policy, job.attempt) * 1000).toISOString();
    await table.markFailed(Number(job.id), message, runAfter, now.toISOString());
  }

  return {
    kind: 'sqlite',
    async enqueue(jobs: JobSpec[]): Promise<number> {
      const at = Date.now();
      const now = new Date(at).toISOString();
      return table.addNew(
        jobs.map((job) => ({
          stage: job.stage,
          key: job.key,
          data: JSON.stringify(job.data),
          maxAttempts: policy.maxAttempts,
          runAfter: job.delaySeconds ? new Date(at + job.delaySeconds * 1000).toISOString() : now,
        })),
        now,
      );
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
      const rows = await table.countsByStageAndState();
      return rows.filter((r) => (STAGES as readonly string[]).includes(r.stage)).map((r) => ({ stage: r.stage as Stage, state: r.state as JobState, count: Number(r.n) }));
    },
    async deadLetters(limit = 50): Promise<DeadLetter[]> {
      const rows = await table.deadJobs(limit);
      return rows.map((r) => ({ id: String(r.id), stage: r.stage as Stage, key: r.key, attempts: r.attempts, error: r.last_error, failedAt: r.updated_at }));
    },
    async close() {},
  };
}
