import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/config.ts';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { keyToUuid, summarizeJob, type Job, type JobQueue } from '../../src/jobs/queue.ts';
import type { Store } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { testBackend } from '../helpers/postgres.ts';

/**
 * The queue contract, on the suite's backend (the SQLite job table, or pg-boss on a real PostgreSQL
 * server in the PostgreSQL run): idempotency keys, retries with backoff, dead letters, counts by state,
 * and what `papersift jobs` shows of them.
 */
const temp = makeTempDir();
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await dropTestDatabases();
  temp.cleanup();
});

const QUEUE_ENV = { PAPERSIFT_JOB_ATTEMPTS: '2', PAPERSIFT_JOB_BACKOFF_SECONDS: '1' };

async function open(name: string, leaseSeconds = 30): Promise<{ database: TestDatabase; store: Store; queue: JobQueue }> {
  const database = await freshDatabase(temp.dir, name);
  const config = loadConfig({ DATABASE_URL: database.url, ...QUEUE_ENV, PAPERSIFT_JOB_LEASE_SECONDS: String(leaseSeconds) });
  const store = await database.open();
  const queue = await openJobQueue(config, store);
  cleanups.push(() => store.close());
  cleanups.push(() => queue.close());
  return { database, store, queue };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('job ids derived from keys are stable UUIDs', () => {
  assert.equal(keyToUuid('2606.00001v1:summarize'), keyToUuid('2606.00001v1:summarize'));
  assert.notEqual(keyToUuid('2606.00001v1:summarize'), keyToUuid('2606.00001v2:summarize'));
  assert.match(keyToUuid('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

// Each suite checks its own backend's queue: the SQLite job table, or pg-boss in the PostgreSQL run.
for (const backend of [testBackend()]) {
  test(`${backend}: a key is one job; a failing job is retried with backoff, then dead and listed`, { timeout: 120_000 }, async () => {
    const { database, queue } = await open('retries');
    assert.equal(await queue.enqueue([summarizeJob('2606.00001', 1), summarizeJob('2606.00002', 1)]), 2);
    assert.equal(await queue.enqueue([summarizeJob('2606.00001', 1)]), 0, 'the same paper version and stage again adds nothing');

    const seen: Array<{ key: string; attempt: number; at: number }> = [];
    const worker = await queue.work(['summarize'], 2, async (job: Job) => {
      seen.push({ key: job.key, attempt: job.attempt, at: Date.now() });
      if (job.key.startsWith('2606.00002')) throw new Error('the provider refused');
    });
    await until(async () => {
      const counts = await queue.counts();
      const n = (state: string) => counts.find((c) => c.stage === 'summarize' && c.state === state)?.count ?? 0;
      return n('done') === 1 && n('dead') === 1;
    }, 60_000);
    await worker.stop();

    const failing = seen.filter((s) => s.key.startsWith('2606.00002'));
    assert.deepEqual(failing.map((s) => s.attempt), [1, 2], 'tried twice (PAPERSIFT_JOB_ATTEMPTS=2)');
    assert.ok(failing[1]!.at - failing[0]!.at >= 900, `the retry waited for its backoff (${failing[1]!.at - failing[0]!.at} ms)`);
    assert.equal(seen.filter((s) => s.key.startsWith('2606.00001')).length, 1);
    const dead = await queue.deadLetters();
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.key, '2606.00002v1:summarize');
    assert.equal(dead[0]!.stage, 'summarize');
    assert.match(dead[0]!.error ?? '', /the provider refused/);

    // `papersift jobs` (another process) shows the same: counts by state and the dead letter with its error.
    const listed = await runCli(['jobs'], { DATABASE_URL: database.url, ...QUEUE_ENV });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^queue: ${queue.kind}$`, 'm'));
    assert.match(listed.stdout, /^summarize\s+0\s+0\s+0\s+1\s+1$/m, listed.stdout);
    assert.match(listed.stdout, /^  summarize 2606\.00002v1:summarize after 2 attempts at \S+: the provider refused$/m, listed.stdout);
    const json = JSON.parse((await runCli(['jobs', '--json'], { DATABASE_URL: database.url, ...QUEUE_ENV })).stdout) as { deadLetters: Array<{ key: string; attempts: number }> };
    assert.deepEqual(json.deadLetters.map((d) => [d.key, d.attempts]), [['2606.00002v1:summarize', 2]]);
  });

  test(`${backend}: a dead letter stays listed, and its key taken, after the queue's housekeeping of old jobs`, { timeout: 120_000 }, async () => {
    // A 2 s lease makes pg-boss run its maintenance (which archives old jobs) every second.
    const { store, queue } = await open('housekeeping', 2);
    await queue.enqueue([summarizeJob('2606.00003', 1)]);
    const worker = await queue.work(['summarize'], 1, async () => {
      throw new Error('still refused');
    });
    await until(async () => (await queue.deadLetters()).length === 1, 60_000);
    await worker.stop();
    // The job died 13 hours ago, past pg-boss's default 12 h archive age for failed jobs.
    if (queue.kind === 'pg-boss') await sql`UPDATE pgboss.job SET completed_on = now() - interval '13 hours' WHERE name = 'papersift-summarize'`.execute(store.db);
    else await sql`UPDATE job_queue SET updated_at = ${new Date(Date.now() - 13 * 3600_000).toISOString()}`.execute(store.db);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.deepEqual((await queue.deadLetters()).map((d) => d.key), ['2606.00003v1:summarize'], 'still a dead letter');
    assert.equal((await queue.counts()).find((c) => c.state === 'dead')?.count, 1);
    assert.equal(await queue.enqueue([summarizeJob('2606.00003', 1)]), 0, 'enqueueing the dead key again adds no job');
  });
}
