import { readSnapshot } from '../arxiv/snapshot.ts';
import { groupBy } from '../domain/collections.ts';
import type { Store } from '../store/store.ts';
import type { ProgressFactory } from '../progress.ts';
import { noProgress } from '../progress.ts';
import { emptyTotals, type IngestRunTotals } from './ingest-runs.ts';

const BATCH_SIZE = 500;

/**
 * Loads a snapshot file into the store. Each batch is its own transaction and storing is idempotent,
 * so an interrupted load simply continues when run again.
 */
export async function ingestSnapshot(store: Pick<Store, 'papers' | 'announcementDays' | 'ingestRuns'>, file: string, progress: ProgressFactory = noProgress): Promise<IngestRunTotals> {
  const runId = await store.ingestRuns.start('snapshot', { file });
  const totals = emptyTotals();
  try {
    const papers = await readSnapshot(file);
    totals.fetched = papers.length;
    const bar = progress('ingest snapshot');
    bar.start(papers.length);
    for (let i = 0; i < papers.length; i += BATCH_SIZE) {
      const batch = papers.slice(i, i + BATCH_SIZE);
      const counts = await store.papers.storeAnnounced(batch, 'snapshot');
      totals.inserted += counts.inserted;
      totals.updated += counts.updated;
      totals.unchanged += counts.unchanged;
      bar.advance(batch.length);
    }
    bar.stop();
    // A snapshot is a recording of arXiv's listings: what it lists per day is what arXiv listed.
    for (const [day, listed] of groupBy(papers, (paper) => paper.announcedOn)) {
      const perCategory = new Map<string, number>();
      for (const { record } of listed) for (const category of new Set(record.categories)) perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
      await store.announcementDays.record(day, 'announcement', perCategory, listed.length);
    }
  } catch (error) {
    await store.ingestRuns.finish(runId, totals, error);
    throw error;
  }
  await store.ingestRuns.finish(runId, totals);
  return totals;
}
