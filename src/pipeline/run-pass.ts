import { enrichAuthors, type EnrichTotals } from '../enrich/enrich-authors.ts';
import { createEnrichmentSources } from '../enrich/sources.ts';
import { ingestLatestAnnouncements, type AnnouncementIngestReport } from '../ingest/ingest-announcements.ts';
import { ingestSnapshot } from '../ingest/ingest-snapshot.ts';
import type { IngestRunTotals } from '../ingest/ingest-runs.ts';
import { scorePendingPapers, type ScoreTotals } from '../score/score-papers.ts';
import { refreshDigests } from '../select/refresh-digests.ts';
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
  if (snapshotPath === null || (await store.papers.count()) > 0) return null;
  // Processes starting together on an empty store: one loads the snapshot, the others find it loaded.
  return withStartupLock(config.database, async () => {
    if ((await store.papers.count()) > 0) return null;
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

/** Author enrichment from Semantic Scholar and OpenAlex; `papersift authors enrich` runs it alone. */
export async function enrichStep(ctx: AppContext, limit?: number): Promise<EnrichTotals> {
  return enrichAuthors(ctx, ctx.enrichment ?? createEnrichmentSources(ctx.config, ctx.logger), { limit });
}

/** The stages of a pass, in the order they run. */
export type PassStageName = 'seed' | 'announcements' | 'enrich' | 'summarise' | 'search-index' | 'score' | 'select';

interface PassStage {
  name: PassStageName;
  /** Live stages reach other services: a first start (`live: false`) leaves them out, and a pass reports their failure instead of stopping. */
  live: boolean;
  /** Runs the stage; throws on failure. Null when configuration turns the stage off. */
  run(ctx: AppContext): Promise<unknown>;
}

/**
 * The pass, defined once. `papersift run`, the scheduler in `serve`, its first start and the admin
 * action run it whole (runFullPass); the job queue runs it as jobs, each a slice of this list
 * (jobs/stages.ts). After summarising and enriching comes the search index: it holds summary text and
 * author names, and a new summary or author list marks its paper for re-indexing.
 */
export const PASS: readonly PassStage[] = [
  { name: 'seed', live: false, run: seedFromSnapshot },
  { name: 'announcements', live: true, run: (ctx) => (ctx.config.liveIngest ? ingestLatestAnnouncements(ctx, ctx.arxiv) : Promise.resolve(null)) },
  { name: 'enrich', live: true, run: (ctx) => (ctx.config.enrich.enabled ? enrichStep(ctx) : Promise.resolve(null)) },
  { name: 'summarise', live: false, run: (ctx) => summarizeStep(ctx) },
  { name: 'search-index', live: false, run: (ctx) => ctx.store.searchIndex.refresh() },
  { name: 'score', live: false, run: scoreStep },
  { name: 'select', live: false, run: selectStep },
];

/** Runs these stages of the pass, in pass order, stopping at the first failure (a job's work: the queue retries it). */
export async function runPassStages(ctx: AppContext, names: readonly PassStageName[]): Promise<void> {
  for (const stage of PASS) if (names.includes(stage.name)) await stage.run(ctx);
}

const FAILURE_NOTE: Partial<Record<PassStageName, string>> = {
  announcements: 'announcement ingest failed; continuing with what is stored',
  enrich: 'author enrichment failed; profiles keep what is stored',
};

/**
 * One full pass: every stage of PASS in order; live stages only when `live` is not false (so a first
 * start stays offline), and a live stage's failure is reported, not thrown: what is stored still gets
 * summarised and served.
 */
export async function runFullPass(ctx: AppContext, options: { live?: boolean } = {}): Promise<PassReport> {
  const results = new Map<PassStageName, unknown>();
  for (const stage of PASS) {
    if (stage.live && options.live === false) {
      results.set(stage.name, null);
      continue;
    }
    if (!stage.live) {
      results.set(stage.name, await stage.run(ctx));
      continue;
    }
    try {
      results.set(stage.name, await stage.run(ctx));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.logger.error(FAILURE_NOTE[stage.name] ?? `${stage.name} failed`, { error: message });
      results.set(stage.name, { error: message });
    }
  }
  return {
    snapshot: results.get('seed') as PassReport['snapshot'],
    announcements: results.get('announcements') as PassReport['announcements'],
    enrich: results.get('enrich') as PassReport['enrich'],
    summarize: results.get('summarise') as PassReport['summarize'],
    indexed: results.get('search-index') as number,
    score: results.get('score') as PassReport['score'],
    digests: results.get('select') as PassReport['digests'],
  };
}
