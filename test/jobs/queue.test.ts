import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { keyToUuid, summarizeJob, type Job, type JobQueue } from '../../src/jobs/queue.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { makeTempDir } from '../helpers/context.ts';
import { createTestDatabase, testBackend } from '../helpers/postgres.ts';

/**
 * The queue contract, on both implementations (the SQLite job table and pg-boss on a real PostgreSQL
 * server): idempotency keys, retries with backoff, dead letters, and counts by state.
 */
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function open(backend: 'sqlite' | 'postgres'): Promise<{ store: Store; queue: JobQueue }> {
  let url: string;
  if (backend === 'postgres') {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    url = database.url;
  } else {
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    url = path.join(temp.dir, 'queue.db');
  }
  const config = loadConfig({ DATABASE_URL: url, PAPERSIFT_JOB_ATTEMPTS: '2', PAPERSIFT_JOB_BACKOFF_SECONDS: '1', PAPERSIFT_JOB_LEASE_SECONDS: '30' });
  const store = await openStore(config.database);
  const queue = await openJobQueue(config, store);
  cleanups.push(() => store.destroy());
  cleanups.push(() => queue.close());
  return { store, queue };
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
    const { queue } = await open(backend);
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
  });
}
