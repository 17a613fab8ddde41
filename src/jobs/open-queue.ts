import type { Config } from '../config/config.ts';
import type { Store } from '../store/store.ts';
import { openPgBossQueue } from './pg-boss-queue.ts';
import type { JobQueue, RetryPolicy } from './queue.ts';
import { openSqliteQueue } from './sqlite-queue.ts';

/** The queue that goes with the configured store: pg-boss on PostgreSQL, the job table on SQLite. */
export async function openJobQueue(config: Config, store: Store): Promise<JobQueue> {
  const policy: RetryPolicy = { maxAttempts: config.jobs.maxAttempts, backoffSeconds: config.jobs.backoffSeconds, leaseSeconds: config.jobs.leaseSeconds };
  return config.database.dialect === 'postgres' ? openPgBossQueue(store, config.database.url, policy) : openSqliteQueue(store, policy);
}
