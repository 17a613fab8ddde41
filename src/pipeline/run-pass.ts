import { ingestSnapshot } from '../ingest/ingest-snapshot.ts';
import type { IngestRunTotals } from '../ingest/ingest-runs.ts';
import { refreshDigests } from '../select/refresh-digests.ts';
import { countPapers } from '../store/papers.ts';
import { summarizePendingPapers, type SummarizeTotals } from '../summarize/summarize-pending.ts';
import type { AppContext } from './context.ts';

export interface PassReport {
  ingest: IngestRunTotals | null;
  summarize: SummarizeTotals;
  digests: Record<string, number>;
}

/** Loads the bundled snapshot into an empty store, so a first start shows a digest without network. */
export async function seedFromSnapshot(ctx: AppContext): Promise<IngestRunTotals | null> {
  const { config, store, logger } = ctx;
  if (config.snapshotPath === null || (await countPapers(store)) > 0) return null;
  logger.info('empty store: loading the bundled snapshot', { file: config.snapshotPath });
  return ingestSnapshot(store, config.snapshotPath, ctx.progress);
}

export async function summarizeStep(ctx: AppContext, limit?: number): Promise<SummarizeTotals> {
  const totals = await summarizePendingPapers(ctx.store, ctx.engine, { limit, progress: ctx.progress });
  ctx.logger.info('summarise finished', { ...totals, engine: ctx.engine.descriptor.engine, model: ctx.engine.descriptor.model });
  return totals;
}

export async function selectStep(ctx: AppContext): Promise<Record<string, number>> {
  const { config } = ctx;
  const picked = await refreshDigests(ctx.store, { digestSize: config.digestSize, historyDays: config.historyDays, categories: config.categories });
  ctx.logger.info('digests selected', Object.fromEntries(picked));
  return Object.fromEntries(picked);
}

/**
 * One full pass: ingest, summarise what is pending, select each day's digest. `papersift run`,
 * the scheduler in `papersift serve` and the first start all call this same function.
 */
export async function runFullPass(ctx: AppContext): Promise<PassReport> {
  const ingest = await seedFromSnapshot(ctx);
  const summarize = await summarizeStep(ctx);
  const digests = await selectStep(ctx);
  return { ingest, summarize, digests };
}
