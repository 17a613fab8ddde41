import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLogger } from '../../src/log.ts';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { slotJob, type Job, type Worker } from '../../src/jobs/queue.ts';
import { enqueueSummaries, stageHandler } from '../../src/jobs/stages.ts';
import { seedFromSnapshot } from '../../src/pipeline/run-pass.ts';
import { createTestContext, makeTempDir } from '../helpers/context.ts';
import { samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';

/**
 * Scoring reads the summaries (the AI Score's rubric, selection's tags): in queue mode a pass's score
 * job must not run while its summarise jobs are unfinished, nor hold a worker slot waiting for them.
 * On the suite's backend (the SQLite job table, or pg-boss in the PostgreSQL run).
 */
const temp = makeTempDir();
after(() => temp.cleanup());

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a score job puts itself off while summarise jobs are unfinished, then scores once they are done', { timeout: 180_000 }, async () => {
  const papers = await samplePapers(3);
  const lines: string[] = [];
  const ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: writeSnapshotFile(temp.dir, papers), PAPERSIFT_JOB_SCORE_WAIT_SECONDS: '1' });
  const logged = { ...ctx, logger: createLogger('info', (line) => lines.push(line)) };
  const queue = await openJobQueue(ctx.config, ctx.store);
  const workers: Worker[] = [];
  try {
    await seedFromSnapshot(logged);
    assert.equal(await enqueueSummaries(logged, queue), papers.length);
    await queue.enqueue([slotJob('score', '2026-12-02T08:00')]);

    // A worker for score jobs only: the summaries cannot progress, so every look finds them unfinished.
    const handle = stageHandler(logged, queue);
    const scoreRuns: Array<{ key: string; at: number }> = [];
    workers.push(
      await queue.work(['score'], 1, async (job: Job) => {
        scoreRuns.push({ key: job.key, at: Date.now() });
        await handle(job);
      }),
    );
    await until(async () => scoreRuns.length >= 3, 60_000, 'three looks of the score job');
    assert.deepEqual(
      scoreRuns.slice(0, 3).map((r) => r.key),
      ['score:2026-12-02T08:00', 'score:2026-12-02T08:00:wait1', 'score:2026-12-02T08:00:wait2'],
    );
    for (let i = 1; i < 3; i += 1) assert.ok(scoreRuns[i]!.at - scoreRuns[i - 1]!.at >= 900, `look ${i + 1} waited the second it was put off by`);
    assert.equal((await ctx.store.db.selectFrom('scores').select('paper_id').execute()).length, 0, 'nothing scored while the summaries are unfinished');
    assert.ok(lines.some((l) => l.includes('score job put off until the summaries are done') && l.includes(`summariesUnfinished=${papers.length}`)), lines.join('\n'));

    // Now the summaries run; the next look scores and selects, and the looks stop.
    workers.push(await queue.work(['summarize'], 2, handle));
    const scored = async () => (await ctx.store.db.selectFrom('scores').select('paper_id').execute()).length === papers.length;
    await until(async () => (await scored()) && (await queue.counts()).every((c) => c.state === 'done'), 60_000, 'the scores, and every job done');
    const lastSummary = await ctx.store.db.selectFrom('summaries').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirstOrThrow();
    const firstScore = await ctx.store.db.selectFrom('scores').select((eb) => eb.fn.min('computed_at').as('at')).executeTakeFirstOrThrow();
    assert.ok(new Date(String(firstScore.at)).getTime() >= new Date(String(lastSummary.at)).getTime(), `scored (${firstScore.at}) after the last summary (${lastSummary.at})`);
    assert.ok((await ctx.store.db.selectFrom('digest_entries').select('paper_id').execute()).length > 0, 'and selected the digests');
    const looks = scoreRuns.length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(scoreRuns.length, looks, 'no further look once scored');
    assert.deepEqual((await queue.counts()).filter((c) => c.state !== 'done'), [], 'nothing left queued, retried or dead');
  } finally {
    for (const worker of workers) await worker.stop();
    await queue.close();
    await ctx.close();
  }
});
