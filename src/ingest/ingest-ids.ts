import type { AppContext } from '../pipeline/context.ts';
import { storeAnnouncedPapers } from '../store/papers.ts';
import type { ArxivSources } from '../arxiv/sources.ts';
import { fetchRecordsByIds } from '../arxiv/fetch-records.ts';
import { inferAnnouncements } from '../arxiv/infer-announcements.ts';
import { addTotals, finishIngestRun, startIngestRun, emptyTotals, type IngestRunTotals } from './ingest-runs.ts';

/** `papersift ingest --ids`: stores the given papers, dated on the calendar by their submission times. */
export async function ingestIds(ctx: AppContext, sources: ArxivSources, ids: string[]): Promise<IngestRunTotals & { missing: string[] }> {
  const runId = await startIngestRun(ctx.store, 'api-ids', { ids });
  const totals = emptyTotals();
  const found = new Set<string>();
  const followed = new Set(ctx.config.categories);
  const bar = ctx.progress('ingest ids');
  bar.start(ids.length);
  try {
    await fetchRecordsByIds(sources, ids, async (records, asked) => {
      for (const r of records) found.add(r.id);
      const counts = await storeAnnouncedPapers(ctx.store, records.flatMap((r) => inferAnnouncements(r, sources.calendar, followed)), 'api');
      addTotals(totals, { fetched: records.length, ...counts });
      bar.advance(asked.length);
    });
  } catch (error) {
    bar.stop();
    await finishIngestRun(ctx.store, runId, totals, error);
    throw error;
  }
  bar.stop();
  const missing = ids.filter((id) => !found.has(id));
  totals.failed += missing.length;
  await finishIngestRun(ctx.store, runId, totals);
  if (missing.length > 0) ctx.logger.warn('arXiv did not return some ids', { missing });
  return { ...totals, missing };
}
