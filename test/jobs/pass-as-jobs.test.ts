import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { CLI, OFFLINE_ENV, runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';

/**
 * A whole pass as jobs, on the suite's backend: `papersift enqueue` adds one ingest job for the
 * scheduler's slot; a `papersift worker` process runs it, and the ingest job enqueues a summarise job
 * per paper version and the slot's enrich and score jobs, which the same worker runs (the score job
 * puts itself off while summaries are unfinished: score-waits-for-summaries.test.ts).
 * (Key idempotency itself is in queue.test.ts.)
 */
const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

test('enqueue + worker: ingest, summarise (one job per paper version), enrich and score run as jobs, each once (score after the summaries)', { timeout: 300_000 }, async () => {
  const database = await freshDatabase(temp.dir, 'pass');
  const papers = await samplePapers(2);
  const env = { DATABASE_URL: database.url, PAPERSIFT_SNAPSHOT: writeSnapshotFile(temp.dir, papers), PAPERSIFT_JOB_BACKOFF_SECONDS: '1' };
  const enqueued = await runCli(['enqueue'], env);
  assert.equal(enqueued.code, 0, enqueued.stderr);
  assert.deepEqual(JSON.parse(enqueued.stdout), { added: 1 });

  const store = await database.open();
  const queue = await openJobQueue(loadConfig(env), store);
  const worker = spawn(process.execPath, [CLI, 'worker', '--concurrency', '2'], { env: { ...process.env, ...OFFLINE_ENV, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  worker.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => worker.once('close', (code) => resolve(code)));
  try {
    const done = async (stage: string) => (await queue.counts()).find((c) => c.stage === stage && c.state === 'done')?.count ?? 0;
    // A score job that found summaries unfinished is done too (it put itself off): wait for the scores.
    const scored = async () => (await store.db.selectFrom('scores').select('paper_id').execute()).length;
    const deadline = Date.now() + 240_000;
    while (!((await done('ingest')) === 1 && (await done('summarize')) === papers.length && (await done('enrich')) === 1 && (await done('score')) >= 1 && (await scored()) === papers.length && (await queue.counts()).every((c) => c.state === 'done'))) {
      assert.ok(Date.now() < deadline, `the pass did not finish: ${JSON.stringify(await queue.counts())}\n${stderr}`);
      assert.equal(worker.exitCode, null, `the worker exited early:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const counts = await queue.counts();
    assert.deepEqual(counts.filter((c) => c.state !== 'done'), [], 'nothing queued, retried or dead');
    assert.deepEqual(await queue.deadLetters(), []);
    // The jobs did the work: every paper version has its summary, and the score job selected digests.
    const summaries = await store.db.selectFrom('summaries').select(['paper_id', 'version']).execute();
    assert.equal(summaries.length, papers.length);
    assert.equal((await store.db.selectFrom('scores').select('paper_id').execute()).length, papers.length, 'the score job scored every paper');
    assert.ok((await store.db.selectFrom('digest_entries').select('paper_id').execute()).length > 0, 'and selected the digests');
  } finally {
    worker.kill('SIGTERM');
    assert.equal(await exited, 0, `the worker stops cleanly on SIGTERM:\n${stderr}`);
    await queue.close();
    await store.close();
  }
});
