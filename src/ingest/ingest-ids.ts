import { fetchRecordsByIds } from '../arxiv/fetch-records.ts';
import type { ArxivSources } from '../arxiv/sources.ts';
import { inferAnnouncements } from '../arxiv/infer-announcements.ts';
import { addTotals, emptyTotals, type IngestInput, type IngestRunTotals } from './ingest-runs.ts';

/** `papersift ingest --ids`: stores the given papers, dated on the calendar by their submission times. */
export async function ingestIds(ctx: IngestInput, sources: ArxivSources, ids: string[]): Promise<IngestRunTotals & { missing: string[] }> {
  const runId = await ctx.store.ingestRuns.start('api-ids', { ids });
  const totals = emptyTotals();
  const found = new Set<string>();
  const followed = new Set(ctx.config.categories);
  const bar = ctx.progress('ingest ids');
  bar.start(ids.length);
  try {
    await fetchRecordsByIds(sources, ids, async (records, asked) => {
      for (const r of records) found.add(r.id);
      const counts = await ctx.store.papers.storeAnnounced(records.flatMap((r) => inferAnnouncements(r, sources.calendar, followed)), 'api');
      addTotals(totals, { fetched: records.length, ...counts });
      bar.advance(asked.length);
    });
  } catch (error) {
    bar.stop();
    await ctx.store.ingestRuns.finish(runId, totals, error);
    throw error;
  }
  bar.stop();
  const missing = ids.filter((id) => !found.has(id));
  totals.failed += missing.length;
  await ctx.store.ingestRuns.finish(runId, totals);
  if (missing.length > 0) ctx.logger.warn('arXiv did not return some ids', { missing });
  return { ...totals, missing };
}
