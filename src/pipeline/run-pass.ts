import { ingestLatestAnnouncements, type AnnouncementIngestReport } from '../ingest/ingest-announcements.ts';
import { ingestSnapshot } from '../ingest/ingest-snapshot.ts';
import type { IngestRunTotals } from '../ingest/ingest-runs.ts';
import { refreshDigests } from '../select/refresh-digests.ts';
import { countPapers } from '../store/papers.ts';
import { refreshSearchIndex } from '../store/search-index.ts';
import { summarizePendingPapers, type SummarizeTotals } from '../summarize/summarize-pending.ts';
import type { AppContext } from './context.ts';

export interface PassReport {
  snapshot: IngestRunTotals | null;
  /** The live announcement ingest: its report, its error, or null when live ingest is off. */
  announcements: AnnouncementIngestReport | { error: string } | null;
  /** Papers added to the full-text index in this pass. */
  indexed: number;
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

/** The live step of a pass. A failure is reported, not thrown: what is stored still gets summarised and served. */
async function announcementStep(ctx: AppContext): Promise<PassReport['announcements']> {
  if (!ctx.config.liveIngest) return null;
  try {
    return await ingestLatestAnnouncements(ctx, ctx.arxiv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.logger.error('announcement ingest failed; continuing with what is stored', { error: message });
    return { error: message };
  }
}

/**
 * One full pass: seed an empty store, ingest the latest announcements, summarise what is pending,
 * index new and changed papers for search, select each day's digest. `papersift run`, the scheduler in `serve` and its first start all call this.
 */
export async function runFullPass(ctx: AppContext, options: { live?: boolean } = {}): Promise<PassReport> {
  const snapshot = await seedFromSnapshot(ctx);
  const announcements = options.live === false ? null : await announcementStep(ctx);
  const summarize = await summarizeStep(ctx);
  // After summarising: the index holds summary text, and a new summary marks its paper for re-indexing.
  const indexed = await refreshSearchIndex(ctx.store);
  const digests = await selectStep(ctx);
  return { snapshot, announcements, indexed, summarize, digests };
}
