import type { Store } from '../store/db.ts';
import type { StoreCounts } from '../store/papers.ts';

export interface IngestRunTotals extends StoreCounts {
  fetched: number;
  failed: number;
}

/** Records that an ingest started, so a crashed run stays visible as "running" with its start time. */
export async function startIngestRun(store: Store, source: string, params: Record<string, unknown>): Promise<number> {
  const row = await store
    .insertInto('ingest_runs')
    .values({ source, params: JSON.stringify(params), status: 'running', started_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishIngestRun(store: Store, runId: number, totals: IngestRunTotals, error?: unknown): Promise<void> {
  await store
    .updateTable('ingest_runs')
    .set({
      status: error === undefined ? 'success' : 'failed',
      finished_at: new Date().toISOString(),
      fetched: totals.fetched,
      inserted: totals.inserted,
      updated: totals.updated,
      unchanged: totals.unchanged,
      failed: totals.failed,
      error: error === undefined ? null : String(error instanceof Error ? error.message : error),
    })
    .where('id', '=', runId)
    .execute();
}

/** Time of the last successful ingest, shown as the digest's "last updated". */
export async function lastSuccessfulIngest(store: Store): Promise<string | null> {
  const row = await store
    .selectFrom('ingest_runs')
    .select('finished_at')
    .where('status', '=', 'success')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.finished_at ?? null;
}
