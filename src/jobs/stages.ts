import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { runPassStages, type PassStageName } from '../pipeline/run-pass.ts';
import type { AppContext } from '../pipeline/context.ts';
import { duePaperVersions, summarizePaperVersion } from '../summarize/summarize-pending.ts';
import { deferredScoreJob, slotJob, summarizeJob, unfinished, type Job, type JobHandler, type JobQueue, type JobSpec, type Stage } from './queue.ts';

/** The longest a score job waits for summaries: an LLM summarising a large day at a few papers a second fits. */
export const MAX_SCORE_WAIT_SECONDS = 2 * 3_600;

/**
 * Which stages of the pass (PASS in pipeline/run-pass.ts) each job runs: together, in job order, they
 * are the whole pass once (test/jobs/job-stages.test.ts). Summarise jobs run it per paper version.
 */
export const JOB_STAGES: Record<Stage, readonly PassStageName[]> = {
  ingest: ['seed', 'announcements'],
  enrich: ['enrich'],
  summarize: ['summarise'],
  score: ['search-index', 'score', 'select'],
};

/**
 * What each stage's job does in a worker. Summarise jobs are one paper version each (the costly,
 * parallel part); ingest, enrich and score work on the whole store and are keyed by the scheduler's
 * slot, so one pass enqueues each once. An ingest job enqueues the rest of its pass when it is done:
 * a summarise job per due paper version, then enrich and score for the same slot.
 *
 * Scoring reads the summaries (the AI Score's rubric) and selection their tags, so the score job runs
 * once the summarise jobs are finished: while any is queued, running or retrying it puts itself off
 * (a new job, PAPERSIFT_JOB_SCORE_WAIT_SECONDS later) rather than hold a worker slot the summaries may
 * need, for at most MAX_SCORE_WAIT_SECONDS; then it scores what is there and says so.
 */
export function stageHandler(ctx: AppContext, queue: JobQueue): JobHandler {
  const { scoreWaitSeconds } = ctx.config.jobs;
  const maxScoreWaits = Math.ceil(MAX_SCORE_WAIT_SECONDS / scoreWaitSeconds);
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = ctx.config.jobs.leaseSeconds * 1000;
  return async (job: Job) => {
    const started = Date.now();
    switch (job.stage) {
      case 'summarize': {
        const { paperId, version } = job.data as Job<'summarize'>['data'];
        const outcome = await summarizePaperVersion(ctx.store, ctx.engine, { id: paperId, version }, { owner, leaseMs });
        ctx.logger.debug('summarise job done', { key: job.key, outcome, ms: Date.now() - started });
        return;
      }
      case 'ingest': {
        const { slot } = job.data as Job<'ingest'>['data'];
        await runPassStages(ctx, JOB_STAGES.ingest);
        const added = await enqueueSummaries(ctx, queue);
        await queue.enqueue([slotJob('enrich', slot), slotJob('score', slot)]);
        ctx.logger.info('ingest job done', { key: job.key, summariseJobsAdded: added, ms: Date.now() - started });
        return;
      }
      case 'enrich':
        await runPassStages(ctx, JOB_STAGES.enrich);
        return;
      case 'score': {
        const { slot, waited = 0 } = job.data as Job<'score'>['data'];
        const summarising = unfinished(await queue.counts(), 'summarize');
        if (summarising > 0 && waited < maxScoreWaits) {
          await queue.enqueue([deferredScoreJob(slot, waited + 1, scoreWaitSeconds)]);
          ctx.logger.info('score job put off until the summaries are done', { key: job.key, summariesUnfinished: summarising, retryInSeconds: scoreWaitSeconds });
          return;
        }
        if (summarising > 0) ctx.logger.warn('scoring with summaries still unfinished after the longest wait', { key: job.key, summariesUnfinished: summarising, waitedSeconds: waited * scoreWaitSeconds });
        // After the summaries a pass produced: index, score and select, as the tail of a full pass.
        await runPassStages(ctx, JOB_STAGES.score);
        return;
      }
    }
  };
}

/** Enqueues a summarise job for every due paper version; returns how many were new. */
export async function enqueueSummaries(ctx: AppContext, queue: JobQueue): Promise<number> {
  const due = await duePaperVersions(ctx.store, ctx.engine);
  const jobs: JobSpec[] = due.map((p) => summarizeJob(p.id, p.version));
  return queue.enqueue(jobs);
}

/** What the scheduler of `serve` does in queue mode: enqueue this slot's pass and nothing else. */
export async function enqueuePass(queue: JobQueue, at: Date = new Date()): Promise<number> {
  // Minute slots: two schedulers (two `serve` replicas) ticking together enqueue one pass.
  return queue.enqueue([slotJob('ingest', at.toISOString().slice(0, 16))]);
}
