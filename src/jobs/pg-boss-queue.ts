import PgBoss from 'pg-boss';
import type { PostgresJobsTable } from '../store/repositories/jobs-table.ts';
import {
  jobDataSchemas,
  keyToUuid,
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
 * The queue on PostgreSQL: pg-boss 10 (its own schema `pgboss` in the same database). A job's id is
 * derived from its key, and pg-boss inserts with ON CONFLICT DO NOTHING, so a key enqueued twice is
 * one job. Retries with exponential backoff and the lease (expireInSeconds, enforced by pg-boss's
 * maintenance, which fails a job whose worker died) are per queue; a job out of retries stays in
 * state `failed`: the dead letters. Jobs are taken with fetch() in our own loop rather than work():
 * pg-boss's worker waits out its polling interval after every job, which would cap a slot at two
 * jobs a second.
 */
const SCHEMA = 'pgboss';
const DEAD_LETTER_DAYS = 14;
const POLL_MS = 250;
const queueName = (stage: Stage) => `papersift-${stage}`;
const stageOf = (name: string): Stage | null => (STAGES as readonly string[]).find((s) => queueName(s as Stage) === name) as Stage | undefined ?? null;

const STATE: Record<string, JobState> = { created: 'queued', retry: 'retry', active: 'active', completed: 'done', failed: 'dead', cancelled: 'dead' };

export async function openPgBossQueue(table: PostgresJobsTable, url: string, policy: RetryPolicy): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: url,
    schema: SCHEMA,
    max: 4,
    // pg-boss moves failed jobs out of its job table after 12 h by default: the dead letters would drop
    // out of `papersift jobs` and their keys would be free again (the next pass re-enqueues them). Kept
    // as long as the SQLite queue keeps them in practice: two weeks of dead letters, listed and keyed.
    archiveFailedAfterSeconds: DEAD_LETTER_DAYS * 86_400,
    // Expired leases are found by maintenance: run it often enough that a dead worker's job comes back
    // within about half a lease (pg-boss takes a lock, so one instance runs it at a time).
    maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(policy.leaseSeconds / 2))),
  });
  boss.on('error', () => {});
  await boss.start();
  for (const stage of STAGES) {
    const options = {
      name: queueName(stage),
      retryLimit: policy.maxAttempts - 1,
      retryDelay: policy.backoffSeconds,
      retryBackoff: true,
      expireInSeconds: policy.leaseSeconds,
      // How long a job may wait to be taken before pg-boss gives up on it (keep_until).
      retentionDays: DEAD_LETTER_DAYS,
    };
    // Creating is a no-op for an existing queue (workers start together safely); updating applies a
    // changed policy from the environment.
    await boss.createQueue(queueName(stage), options);
    await boss.updateQueue(queueName(stage), options);
  }

  return {
    kind: 'pg-boss',
    async enqueue(jobs: JobSpec[]): Promise<number> {
      let added = 0;
      const CHUNK = 32;
      for (let i = 0; i < jobs.length; i += CHUNK) {
        const ids = await Promise.all(
          jobs.slice(i, i + CHUNK).map((job) => boss.send(queueName(job.stage), { ...job.data, key: job.key }, { id: keyToUuid(job.key), ...(job.delaySeconds ? { startAfter: job.delaySeconds } : {}) })),
        );
        added += ids.filter((id) => id !== null).length;
      }
      return added;
    },
    async work(stages: readonly Stage[], concurrency: number, handler: JobHandler): Promise<Worker> {
      let stopping = false;
      const sleepers = new Set<() => void>();
      const take = async (): Promise<Job | null> => {
        for (const stage of stages) {
          const [found] = await boss.fetch<Record<string, unknown>>(queueName(stage), { batchSize: 1, includeMetadata: true });
          if (!found) continue;
          const { key, ...data } = found.data;
          return { id: found.id, stage, key: String(key), data: jobDataSchemas[stage].parse(data), attempt: found.retryCount + 1 } as Job;
        }
        return null;
      };
      const slot = async () => {
        while (!stopping) {
          let job: Job | null = null;
          try {
            job = await take();
          } catch {
            // The database may be restarting: wait and ask again.
          }
          if (!job) {
            await new Promise<void>((resolve) => {
              const wake = () => {
                clearTimeout(timer);
                sleepers.delete(wake);
                resolve();
              };
              const timer = setTimeout(wake, POLL_MS);
              sleepers.add(wake);
            });
            continue;
          }
          try {
            await handler(job);
            await boss.complete(queueName(job.stage), job.id);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            await boss.fail(queueName(job.stage), job.id, { message }).catch(() => {});
          }
        }
      };
      const slots = Array.from({ length: concurrency }, () => slot());
      return {
        stop: async () => {
          stopping = true;
          for (const wake of [...sleepers]) wake();
          await Promise.all(slots);
        },
      };
    },
    async counts(): Promise<StateCount[]> {
      const rows = await table.countsByNameAndState();
      const counts = new Map<string, StateCount>();
      for (const row of rows) {
        const stage = stageOf(row.name);
        const state = STATE[row.state];
        if (!stage || !state) continue;
        const key = `${stage}|${state}`;
        const entry = counts.get(key) ?? { stage, state, count: 0 };
        entry.count += Number(row.n);
        counts.set(key, entry);
      }
      return [...counts.values()];
    },
    async deadLetters(limit = 50): Promise<DeadLetter[]> {
      const rows = await table.failedJobs(limit);
      return rows.flatMap((r) => {
        const stage = stageOf(r.name);
        if (!stage) return [];
        return [{ id: r.id, stage, key: String(r.data?.key ?? ''), attempts: r.retry_count + 1, error: r.output?.message ?? null, failedAt: r.completed_on?.toISOString() ?? null }];
      });
    },
    async close() {
      await boss.stop({ graceful: false, wait: true, timeout: 1000 });
    },
  };
}
