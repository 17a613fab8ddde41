import { Command, InvalidArgumentError } from 'commander';
import { describeEnvironment, loadConfig } from '../config/config.ts';
import { ingestSnapshot } from '../ingest/ingest-snapshot.ts';
import type { AppContext } from '../pipeline/context.ts';
import { runFullPass, selectStep, summarizeStep } from '../pipeline/run-pass.ts';
import { startSchedule, updateFrequencyHours } from '../pipeline/scheduler.ts';
import { startWebServer } from '../web/server.ts';
import { createAppContext } from './context.ts';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** Opens a context, runs `work`, and always closes the store, even when `work` fails. */
async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await createAppContext(loadConfig());
  try {
    return await work(ctx);
  } finally {
    await ctx.store.destroy();
  }
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

async function serve(): Promise<void> {
  const ctx = await createAppContext(loadConfig());
  const { config, logger } = ctx;
  const report = await runFullPass(ctx);
  logger.info('first pass done', { stored: report.ingest?.inserted ?? 0, summarised: report.summarize.summarized });
  const server = await startWebServer(ctx);
  logger.info(`papersift serves the digest at ${server.url}`, { updateEveryHours: updateFrequencyHours(config.schedule) });
  const schedule = startSchedule(config.schedule, () => runFullPass(ctx), logger);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      schedule.stop();
      void server
        .close()
        .then(() => ctx.store.destroy())
        .then(resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

export function buildProgram(): Command {
  const program = new Command('papersift')
    .description("Today's ML research, without the noise: ingest arXiv, summarise, select, serve.")
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });

  program
    .command('serve')
    .description('serve the web site and run a full pass on the configured schedule (first start loads the bundled snapshot)')
    .action(serve);

  program
    .command('ingest')
    .description('store papers from a snapshot file (JSON lines, optionally gzipped); default: the bundled snapshot')
    .option('--file <path>', 'snapshot file to ingest')
    .action(async (options: { file?: string }) => {
      await withContext(async (ctx) => {
        const file = options.file ?? ctx.config.snapshotPath;
        if (!file) throw new Error('no snapshot configured (PAPERSIFT_SNAPSHOT=off) and no --file given');
        printJson(await ingestSnapshot(ctx.store, file, ctx.progress));
      });
    });

  program
    .command('summarize')
    .description('summarise every paper whose summary is pending or stale')
    .option('--limit <n>', 'summarise at most n papers', positiveInteger)
    .action(async (options: { limit?: number }) => {
      await withContext(async (ctx) => printJson(await summarizeStep(ctx, options.limit)));
    });

  program
    .command('select')
    .description("recompute the digest of every announcement day in the history window")
    .action(async () => {
      await withContext(async (ctx) => printJson(await selectStep(ctx)));
    });

  program
    .command('run')
    .description('one full pass: ingest, summarise, select')
    .action(async () => {
      await withContext(async (ctx) => printJson(await runFullPass(ctx)));
    });

  program
    .command('config')
    .description('print the configuration read from the environment (secrets redacted)')
    .action(() => {
      loadConfig(); // fails loudly on an invalid environment
      for (const option of describeEnvironment()) process.stdout.write(`${option.name}=${option.value}\n`);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    process.stderr.write(`papersift: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
