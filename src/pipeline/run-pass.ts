import { enrichAuthors, type EnrichTotals } from '../enrich/enrich-authors.ts';
import { createEnrichmentSources } from '../enrich/sources.ts';
import { ingestLatestAnnouncements, type AnnouncementIngestReport } from '../ingest/ingest-announcements.ts';
import { ingestSnapshot } from '../ingest/ingest-snapshot.ts';
import type { IngestRunTotals } from '../ingest/ingest-runs.ts';
import { scorePendingPapers, type ScoreTotals } from '../score/score-papers.ts';
import { refreshDigests } from '../select/refresh-digests.ts';
import { countPapers } from '../store/papers.ts';
import { refreshSearchIndex } from '../store/search-index.ts';
import { withStartupLock } from '../store/startup-lock.ts';
import { summarizePendingPapers, type SummarizeTotals } from '../summarize/summarize-pending.ts';
import type { AppContext } from './context.ts';

export interface PassReport {
  snapshot: IngestRunTotals | null;
  /** The live announcement ingest: its report, its error, or null when live ingest is off. */
  announcements: AnnouncementIngestReport | { error: string } | null;
  /** Papers added to the full-text index in this pass. */
  indexed: number;
  /** Author enrichment: its totals, its error, or null when it did not run (offline start, PAPERSIFT_ENRICH=off). */
  enrich: EnrichTotals | { error: string } | null;
  summarize: SummarizeTotals;
  score: ScoreTotals;
  digests: Record<string, number>;
}

/** Loads the bundled snapshot into an empty store, so a first start shows a digest without network. */
export async function seedFromSnapshot(ctx: AppContext): Promise<IngestRunTotals | null> {
  const { config, store, logger } = ctx;
  const snapshotPath = config.snapshotPath;
  if (snapshotPath === null || (await countPapers(store)) > 0) return null;
  // Processes starting together on an empty store: one loads the snapshot, the others find it loaded.
  return withStartupLock(config.database, async () => {
    if ((await countPapers(store)) > 0) return null;
    logger.info('empty store: loading the bundled snapshot', { file: snapshotPath });
    return ingestSnapshot(store, snapshotPath, ctx.progress);
  });
}

export async function summarizeStep(ctx: AppContext, limit?: number): Promise<SummarizeTotals> {
  const totals = await summarizePendingPapers(ctx.store, ctx.engine, { limit, progress: ctx.progress });
  ctx.logger.info('summarise finished', { ...totals, engine: ctx.engine.descriptor.engine, model: ctx.engine.descriptor.model });
  return totals;
}

/** Novelty % and AI Score for every paper whose latest version has none (or whose rubric changed). */
export async function scoreStep(ctx: AppContext): Promise<ScoreTotals> {
  const totals = await scorePendingPapers(ctx.store, { progress: ctx.progress });
  ctx.logger.info('scores computed', { scored: totals.scored });
  return totals;
}

export async function selectStep(ctx: AppContext): Promise<Record<string, number>> {
  const { config } = ctx;
  const picked = await refreshDigests(ctx.store, { digestSize: config.digestSize, historyDays: config.historyDays, categories: config.categories, maxTagShare: config.maxTagShare });
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

/** Author enrichment from Semantic Scholar and OpenAlex; `papersift authors enrich` runs it alone. */
export async function enrichStep(ctx: AppContext, limit?: number): Promise<EnrichTotals> {
  return enrichAuthors(ctx, ctx.enrichment ?? createEnrichmentSources(ctx.config, ctx.logger), { limit });
}

/** The enrichment step of a live pass: an outage or failure is reported, never fatal to the pass. */
async function passEnrichStep(ctx: AppContext): Promise<PassReport['enrich']> {
  if (!ctx.config.enrich.enabled) return null;
  try {
    return await enrichStep(ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.logger.error('author enrichment failed; profiles keep what is stored', { error: message });
    return { error: message };
  }
}

/**
 * One full pass: seed an empty store, ingest the latest announcements, enrich authors (live passes
 * only, so a first start stays offline), summarise what is pending, index new and changed papers for
 * search, score, select each day's digest. `papersift run`, the scheduler in `serve` and its first start all call this.
 */
export async function runFullPass(ctx: AppContext, options: { live?: boolean } = {}): Promise<PassReport> {
  const snapshot = await seedFromSnapshot(ctx);
  const announcements = options.live === false ? null : await announcementStep(ctx);
  const enrich = options.live === false ? null : await passEnrichStep(ctx);
  const summarize = await summarizeStep(ctx);
  // After summarising and enriching: the index holds summary text and author names, and a new summary
  // or author list marks its paper for re-indexing.
  const indexed = await refreshSearchIndex(ctx.store);
  const score = await scoreStep(ctx);
  const digests = await selectStep(ctx);
  return { snapshot, announcements, indexed, enrich, summarize, score, digests };
}
