// Only what every start needs is imported here: each command imports its modules when it runs
// (`await import`), so `papersift --help` or a quick command does not load the web server, the
// stores and the summariser.
import { Command, InvalidArgumentError } from 'commander';
import { parseArxivId } from '../arxiv/ids.ts';
import type { IngestRunTotals } from '../ingest/ingest-runs.ts';
import type { Config } from '../config/config.ts';
import type { RateGateState } from '../domain/rate-gate.ts';
import type { BatchTotals } from '../summarize/batch.ts';
import { addJobCommands } from './jobs-commands.ts';
import { addReaderCommands } from './readers-commands.ts';
import { withContext } from './with-context.ts';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}


function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

function idList(value: string): string[] {
  const ids = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = ids.filter((id) => parseArxivId(id) === null);
  if (ids.length === 0 || bad.length > 0) throw new InvalidArgumentError(`not arXiv ids: ${bad.join(', ') || '(none given)'}`);
  return ids.map((id) => parseArxivId(id)!.id);
}

function categoryList(value: string): string[] {
  const categories = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (categories.length === 0 || categories.some((c) => !/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c))) throw new InvalidArgumentError('expected categories like cs.LG,stat.ML');
  return categories;
}

/** The closing summary of an ingest, for people (stderr); stdout keeps the JSON for scripts. */
function printIngestSummary(totals: IngestRunTotals): void {
  process.stderr.write(`fetched ${totals.fetched}, new ${totals.inserted}, updated ${totals.updated}, unchanged ${totals.unchanged}, failed ${totals.failed}\n`);
}

/**
 * Batch mode. The offline engine needs no store; an LLM engine records its calls in the configured
 * database's ledger (`papersift stats`). Batch lines are not stored papers, so they have no summary
 * cache: a rerun asks the model again.
 */
async function summarizeBatchFile(input: string, output: string): Promise<BatchTotals & { llm: boolean }> {
  const [{ loadConfig }, { summarizeJsonLines }] = await Promise.all([import('../config/config.ts'), import('../summarize/batch.ts')]);
  const config = loadConfig();
  if (config.llm === null) {
    const [{ createOfflineEngine }, { createLogger }, { progressFor }] = await Promise.all([
      import('../summarize/offline/extractive-engine.ts'),
      import('../log.ts'),
      import('../progress.ts'),
    ]);
    return { llm: false, ...(await summarizeJsonLines({ engine: createOfflineEngine(), input, output, progress: progressFor(createLogger(config.logLevel)) })) };
  }
  const concurrency = config.llm.concurrency;
  // Batch mode: a long Retry-After is waited out (up to LLM_BATCH_MAX_RETRY_AFTER_SECONDS) rather than falling back.
  return withContext(async (ctx) => {
    const { createSummaryEngine } = await import('../summarize/llm/create-engine.ts');
    const engine = createSummaryEngine(ctx.config, { store: ctx.store, logger: ctx.logger, mode: 'batch' });
    return { llm: true, ...(await summarizeJsonLines({ engine, input, output, concurrency, progress: ctx.progress })) };
  });
}

/** The shared rate gates as comment lines after the options: setting, and the wait now across processes. */
async function printRateGates(config: Config): Promise<void> {
  const { serviceGateSettings } = await import('../config/service-gates.ts');
  const settings = Object.values(serviceGateSettings(config)).filter((gate) => gate !== undefined);
  let states: RateGateState[] | null = null;
  let problem = '';
  try {
    states = await withContext((ctx) => Promise.all(Object.values(ctx.gates ?? {}).map((gate) => gate!.state())));
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  for (const gate of settings) {
    const budget = gate.budget ? `, at most ${gate.budget.count} per ${gate.budget.windowMs / 1000} s` : '';
    const state = states?.find((s) => s.service === gate.service);
    const now = state ? `wait now ${Math.max(0, state.waitMs)} ms, ${state.inFlight} in flight` : `wait now unknown (${problem})`;
    process.stdout.write(`# rate gate ${gate.service}: starts ≥ ${gate.minIntervalMs} ms apart, ${gate.maxConcurrent} at a time${budget}, shared by every process on the store; ${now}\n`);
  }
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

async function serve(): Promise<void> {
  const [{ createAppContext }, { loadConfig }, { runFullPass }, { runExclusive }, { startSchedule, updateFrequencyHours }, { startWebServer }, { enqueuePass }] = await Promise.all([
    import('./context.ts'),
    import('../config/config.ts'),
    import('../pipeline/run-pass.ts'),
    import('../pipeline/exclusive.ts'),
    import('../pipeline/scheduler.ts'),
    import('../web/server.ts'),
    import('../jobs/stages.ts'),
  ]);
  const config = loadConfig();
  // Queue mode: the scheduler only enqueues; `papersift worker` processes run the pass.
  const ctx = await createAppContext(config, { queue: config.jobs.workers === 'queue' });
  const { logger } = ctx;
  const queue = ctx.jobs ?? null;
  // What is stored (or bundled) is served at once; reaching arXiv may take long or fail, so it comes after.
  // In queue mode even the first pass is the workers' (the scheduler enqueues it at once).
  if (config.jobs.workers === 'inline') {
    const report = await runFullPass(ctx, { live: false });
    logger.info('store ready', { loaded: report.snapshot?.inserted ?? 0, summarised: report.summarize.summarized });
  }

  const server = await startWebServer(ctx);
  logger.info(`papersift serves the digest at ${server.url}`, { updateEveryHours: updateFrequencyHours(config.schedule), workers: config.jobs.workers });
  // Exclusive with the admin actions, so a pass they trigger and a scheduled one never overlap.
  const scheduledPass = async () => {
    if (queue) {
      const added = await enqueuePass(queue);
      logger.info('pass enqueued for the workers', { added });
      return null;
    }
    const pass = runExclusive(ctx, () => runFullPass(ctx));
    if (pass) return pass;
    logger.warn('an admin job is running; skipping this tick');
    return null;
  };
  const schedule = startSchedule(config.schedule, scheduledPass, logger, { runNow: config.liveIngest || queue !== null });
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      schedule.stop();
      // A pass may be waiting on arXiv; its committed batches are safe and the next start resumes the rest.
      void server
        .close()
        .then(() => queue?.close())
        .then(() => ctx.store.close())
        .then(resolve, resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  // Exit even if a pass is still waiting on arXiv (it resumes on the next start).
  setTimeout(() => process.exit(0), 1000).unref();
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
    .description('ingest papers: by default the latest arXiv announcements of the followed categories')
    .option('--from <date>', 'backfill papers submitted or replaced from this date (YYYY-MM-DD)', isoDate)
    .option('--to <date>', 'end of the backfill range, inclusive (default: today)', isoDate)
    .option('--categories <list>', 'categories to backfill (default: PAPERSIFT_CATEGORIES)', categoryList)
    .option('--via <source>', 'backfill source: oai (OAI-PMH, any length) or api (arXiv API query)', 'oai')
    .option('--ids <list>', 'ingest these arXiv ids (comma-separated) from the arXiv API')
    .option('--snapshot <file>', 'ingest a snapshot file (JSON lines, optionally gzipped)')
    .addHelpText('after', '\nExamples:\n  papersift ingest\n  papersift ingest --from 2026-06-01 --to 2026-06-07 --categories cs.LG\n  papersift ingest --ids 2606.14721,2606.14722\n  papersift ingest --snapshot assets/snapshot/arxiv-ml-listings-2026-06.jsonl.gz')
    .action(async (options: { from?: string; to?: string; categories?: string[]; via: string; ids?: string; snapshot?: string }) => {
      const modes = [options.from !== undefined, options.ids !== undefined, options.snapshot !== undefined].filter(Boolean).length;
      if (modes > 1) throw new Error('choose one of --from, --ids and --snapshot');
      if (options.to !== undefined && options.from === undefined) throw new Error('--to needs --from');
      if (options.via !== 'oai' && options.via !== 'api') throw new Error('--via must be oai or api');
      const ids = options.ids === undefined ? undefined : idList(options.ids);
      const [{ ingestSnapshot }, { ingestIds }, { backfillRange }, { ingestLatestAnnouncements }] = await Promise.all([
        import('../ingest/ingest-snapshot.ts'),
        import('../ingest/ingest-ids.ts'),
        import('../ingest/ingest-backfill.ts'),
        import('../ingest/ingest-announcements.ts'),
      ]);
      await withContext(async (ctx) => {
        let totals: IngestRunTotals;
        if (options.snapshot !== undefined) totals = await ingestSnapshot(ctx.store, options.snapshot, ctx.progress);
        else if (ids !== undefined) totals = await ingestIds(ctx, ctx.arxiv, ids);
        else if (options.from !== undefined) {
          const to = options.to ?? new Date().toISOString().slice(0, 10);
          if (to < options.from) throw new Error(`--to ${to} is before --from ${options.from}`);
          totals = await backfillRange(ctx, ctx.arxiv, { from: options.from, to, categories: options.categories ?? ctx.config.categories, via: options.via as 'oai' | 'api' });
        } else totals = await ingestLatestAnnouncements(ctx, ctx.arxiv);
        const indexed = await ctx.store.searchIndex.refresh();
        printJson({ ...totals, indexed });
        printIngestSummary(totals);
      });
    });

  program
    .command('summarize')
    .description('summarise every paper whose summary is pending or stale, or a JSON-lines file of abstracts (--jsonl)')
    .option('--limit <n>', 'summarise at most n papers', positiveInteger)
    .option('--jsonl <file>', 'summarise the abstracts in this file ({id, title, abstract, categories?} a line) instead of the store')
    .option('--out <file>', 'with --jsonl: write one JSON line per input line here')
    .option('--allow-fallback', 'with --jsonl and an LLM: exit 0 even if some lines got the offline fallback instead of an LLM summary')
    .addHelpText('after', '\nExamples:\n  papersift summarize\n  papersift summarize --jsonl abstracts.jsonl --out summaries.jsonl')
    .action(async (options: { limit?: number; jsonl?: string; out?: string; allowFallback?: boolean }) => {
      if (options.jsonl === undefined) {
        if (options.out !== undefined) throw new Error('--out needs --jsonl');
        const { summarizeStep } = await import('../pipeline/run-pass.ts');
        await withContext(async (ctx) => printJson(await summarizeStep(ctx, options.limit)));
        return;
      }
      if (options.out === undefined) throw new Error('--jsonl needs --out');
      if (options.limit !== undefined) throw new Error('--limit applies to the store, not to --jsonl');
      const { llm, ...totals } = await summarizeBatchFile(options.jsonl, options.out);
      printJson(totals);
      process.stderr.write(`${totals.lines} lines: summarised ${totals.summarized}, fallback ${totals.fallback}, failed ${totals.failed}\n`);
      // Asked for LLM summaries and did not get them all: say so in the exit status, not only in the file.
      if (llm && totals.fallback > 0 && !options.allowFallback) {
        throw new Error(`${totals.fallback} of ${totals.lines} lines got the offline fallback instead of an LLM summary (see each line's engine.note; --allow-fallback accepts them)`);
      }
    });

  program
    .command('recommend')
    .description("rank candidate papers for one reader's library (batch mode, no store): one line per candidate {id, score, why}, best first")
    .requiredOption('--library <file>', 'JSON lines {id, title, abstract?, year?, added?}: the papers the reader keeps')
    .requiredOption('--candidates <file>', 'JSON lines {id, title, abstract?}: the papers to rank')
    .requiredOption('--out <file>', 'where to write the ranking (JSON lines)')
    .addHelpText('after', '\nA bad line gets an error line on stderr ({file, line, id?, error}) and the rest go on.\n\nExample:\n  papersift recommend --library library.jsonl --candidates today.jsonl --out picks.jsonl')
    .action(async (options: { library: string; candidates: string; out: string }) => {
      const { recommendJsonLines } = await import('../select/personal/batch.ts');
      const totals = await recommendJsonLines({
        library: options.library,
        candidates: options.candidates,
        output: options.out,
        onError: (error) => process.stderr.write(`${JSON.stringify(error)}\n`),
      });
      printJson(totals);
      process.stderr.write(`library ${totals.library} papers, ranked ${totals.candidates} candidates, ${totals.rejected} lines rejected\n`);
    });

  const authors = program.command('authors').description('researcher profiles: identity and enrichment');
  authors
    .command('enrich')
    .description('look papers up in Semantic Scholar and OpenAlex, link their authors to stable ids and fetch their figures')
    .option('--limit <n>', 'look up at most n papers (newest first)', positiveInteger)
    .action(async (options: { limit?: number }) => {
      const { enrichStep } = await import('../pipeline/run-pass.ts');
      await withContext(async (ctx) => {
        const totals = await enrichStep(ctx, options.limit);
        printJson(totals);
        process.stderr.write(
          `papers ${totals.papers}: Semantic Scholar found ${totals.semanticScholar.found}, not found ${totals.semanticScholar.notFound}; ` +
            `OpenAlex found ${totals.openAlex.found}, not found ${totals.openAlex.notFound}; authors linked ${totals.linked}, fetched ${totals.authorsFetched}` +
            (totals.unreachable.length ? `; unreachable: ${totals.unreachable.join(', ')} (stored data kept)` : '') +
            '\n',
        );
      });
    });

  program
    .command('select')
    .description('score papers that are due, then recompute the digest of every announcement day in the history window')
    .action(async () => {
      // Selection ranks by the stored scores, so papers without them are scored first.
      const { scoreStep, selectStep } = await import('../pipeline/run-pass.ts');
      await withContext(async (ctx) => {
        await scoreStep(ctx);
        printJson(await selectStep(ctx));
      });
    });

  program
    .command('run')
    .description('one full pass: ingest, summarise, score, select')
    .action(async () => {
      const { runFullPass } = await import('../pipeline/run-pass.ts');
      await withContext(async (ctx) => printJson(await runFullPass(ctx)));
    });

  program
    .command('mcp')
    .description('serve the MCP server (tools: search_papers, get_digest, get_paper, get_author, similar_papers; for a reader also my_digest, save_paper) over stdin/stdout, for an assistant that starts it; `serve` offers the same at /mcp')
    .option('--reader <id-or-email>', "the reader whose tools (my_digest, save_paper) this server offers; in owner mode the owner's by default")
    .action(async (options: { reader?: string }) => {
      const [{ serveMcpOverStdio }, { personalDigests }] = await Promise.all([import('../web/mcp/stdio.ts'), import('../web/readers/personal-digest.ts')]);
      await withContext(async (ctx) => {
        // Whoever runs this command can open the store: naming a reader needs no token.
        const reader = options.reader !== undefined ? await ctx.store.readers.find(options.reader) : ctx.config.auth === 'owner' ? await ctx.store.readers.ensureOwner() : null;
        if (options.reader !== undefined && !reader) throw new Error(`no reader ${JSON.stringify(options.reader)} (see papersift readers list)`);
        await serveMcpOverStdio(ctx, reader ? { reader, digests: personalDigests(ctx) } : null);
      });
    });

  program
    .command('stats')
    .description('LLM usage from the ledger: calls, tokens, estimated cost and outcomes per day and per model')
    .option('--json', 'print the totals as JSON')
    .action(async (options: { json?: boolean }) => {
      const { formatLlmStats, llmCallStats } = await import('../summarize/llm/ledger.ts');
      await withContext(async (ctx) => {
        const stats = await llmCallStats(ctx.store);
        if (options.json) printJson(stats);
        else process.stdout.write(formatLlmStats(stats));
      });
    });

  program
    .command('llm')
    .description('the LLM summariser')
    .command('check')
    .description('asks the configured provider for its models and makes one tiny structured call: does it work, what will it cost per 1,000 papers, which model instead of a missing one')
    .action(async () => {
      const [{ loadConfig }, { checkLlm }] = await Promise.all([import('../config/config.ts'), import('../summarize/llm/check.ts')]);
      const config = loadConfig();
      if (config.llm === null) throw new Error('PAPERSIFT_LLM is empty: summaries come from the offline engine, no LLM to check');
      const report = await checkLlm(config.llm);
      process.stdout.write(report.lines.join('\n') + '\n');
      if (!report.ok) throw new Error('the LLM configuration does not work (see above)');
    });

  addJobCommands(program);
  addReaderCommands(program);

  program
    .command('config')
    .description('print the configuration read from the environment (secrets redacted)')
    .action(async () => {
      const { describeEnvironment, loadConfig } = await import('../config/config.ts');
      const config = loadConfig(); // fails loudly on an invalid environment
      for (const option of describeEnvironment()) process.stdout.write(`${option.name}=${option.value}\n`);
      await printRateGates(config);
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
