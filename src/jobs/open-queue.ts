import type { Config } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import { openPgBossQueue } from './pg-boss-queue.ts';
import type { JobQueue, RetryPolicy } from './queue.ts';
import { openSqliteQueue } from './sqlite-queue.ts';

/** The queue that goes with the configured store: pg-boss on PostgreSQL, the job table on SQLite. */
export async function openJobQueue(config: Config, store: Store): Promise<JobQueue> {
  const policy: RetryPolicy = { maxAttempts: config.jobs.maxAttempts, backoffSeconds: config.jobs.backoffSeconds, leaseSeconds: config.jobs.leaseSeconds };
  const table = store.jobsTable;
  if (table.kind === 'sqlite') return openSqliteQueue(table, policy);
  if (config.database.dialect !== 'postgres') throw new Error('the store is PostgreSQL but the configured database is not');
  return openPgBossQueue(table, config.database.url, policy);
}
