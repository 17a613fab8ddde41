import { InvalidArgumentError, type Command } from 'commander';
import { STAGES, type JobQueue, type Stage } from '../jobs/queue.ts';
import type { AppContext } from '../pipeline/context.ts';

function stageList(value: string): Stage[] {
  const stages = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = stages.filter((s) => !(STAGES as readonly string[]).includes(s));
  if (stages.length === 0 || bad.length > 0) throw new InvalidArgumentError(`expected stages among ${STAGES.join(', ')}; got ${bad.join(', ') || '(none)'}`);
  return stages as Stage[];
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

async function withQueue<T>(work: (ctx: AppContext, queue: JobQueue) => Promise<T>): Promise<T> {
  // Imported when a command runs, not at start (see main.ts).
  const [{ createAppContext }, { loadConfig }] = await Promise.all([import('./context.ts'), import('../config/config.ts')]);
  const ctx = await createAppContext(loadConfig(), { queue: true });
  const queue = ctx.jobs!;
  try {
    return await work(ctx, queue);
  } finally {
    await queue.close();
    await ctx.store.close();
  }
}

/** Runs workers until SIGTERM/SIGINT, then finishes the jobs in hand (graceful shutdown) and exits. */
async function runWorker(options: { concurrency: number; stages: Stage[] }): Promise<void> {
  const { stageHandler } = await import('../jobs/stages.ts');
  await withQueue(async (ctx, queue) => {
    const worker = await queue.work(options.stages, options.concurrency, stageHandler(ctx, queue));
    ctx.logger.info('worker started', { queue: queue.kind, stages: options.stages.join(','), concurrency: options.concurrency, pid: process.pid });
    process.send?.({ event: 'worker-ready', pid: process.pid });
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        ctx.logger.info('worker stopping: finishing the jobs in hand', { signal });
        void worker.stop().then(resolve, resolve);
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
    ctx.logger.info('worker stopped');
  });
}

export function addJobCommands(program: Command): void {
  program
    .command('worker')
    .description('run pipeline jobs from the queue (pg-boss on PostgreSQL, the job table on SQLite) until SIGTERM')
    .option('--concurrency <n>', 'jobs run at once by this process', positive, 4)
    .option('--stages <list>', `comma-separated stages to take (${STAGES.join(', ')})`, stageList, [...STAGES])
    .action(runWorker);

  program
    .command('enqueue')
    .description('enqueue a full pass (ingest, then summarise, enrich, score), or with --summaries only the due summaries')
    .option('--summaries', 'one summarise job per due paper version, nothing else')
    .action(async (options: { summaries?: boolean }) => {
      const { enqueuePass, enqueueSummaries } = await import('../jobs/stages.ts');
      await withQueue(async (ctx, queue) => {
        const added = options.summaries ? await enqueueSummaries(ctx, queue) : await enqueuePass(queue);
        process.stdout.write(JSON.stringify({ added }) + '\n');
      });
    });

  program
    .command('jobs')
    .description('job counts by stage and state, and the dead letters (jobs out of retries)')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      await withQueue(async (_ctx, queue) => {
        const counts = await queue.counts();
        const dead = await queue.deadLetters();
        if (options.json) {
          process.stdout.write(JSON.stringify({ queue: queue.kind, counts, deadLetters: dead }, null, 2) + '\n');
          return;
        }
        const lines = [`queue: ${queue.kind}`, 'stage      queued  active  retry    done    dead'];
        for (const stage of STAGES) {
          const n = (state: string) => String(counts.find((c) => c.stage === stage && c.state === state)?.count ?? 0).padStart(7);
          lines.push(`${stage.padEnd(9)}${n('queued')} ${n('active')} ${n('retry')} ${n('done')} ${n('dead')}`);
        }
        lines.push(dead.length === 0 ? 'dead letters: none' : `dead letters (newest first, ${dead.length} shown):`);
        for (const d of dead) lines.push(`  ${d.stage} ${d.key} after ${d.attempts} attempts at ${d.failedAt ?? '?'}: ${d.error ?? 'no error recorded'}`);
        process.stdout.write(lines.join('\n') + '\n');
      });
    });
}
