import type { Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import type { StoreCounts } from '../store/papers.ts';

export interface IngestRunTotals extends StoreCounts {
  fetched: number;
  failed: number;
}

export const emptyTotals = (): IngestRunTotals => ({ fetched: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 });

export function addTotals(into: IngestRunTotals, add: Partial<IngestRunTotals>): void {
  for (const key of ['fetched', 'inserted', 'updated', 'unchanged', 'failed'] as const) into[key] += add[key] ?? 0;
}

export interface IngestRun<Checkpoint> {
  id: number;
  /** Where an interrupted earlier attempt of the same run stopped, or null for a fresh run. */
  checkpoint: Checkpoint | null;
  totals: IngestRunTotals;
  resumed: boolean;
}

/**
 * Starts a run, or resumes the latest unfinished run with the same source and parameters (killed or
 * failed), from its last committed checkpoint and with its totals, so an interrupted run is one run.
 */
export async function startOrResumeIngestRun<Checkpoint>(store: Store, source: string, params: Record<string, unknown>): Promise<IngestRun<Checkpoint>> {
  const paramsJson = JSON.stringify(params);
  const latest = await store
    .db.selectFrom('ingest_runs')
    .selectAll()
    .where('source', '=', source)
    .where('params', '=', paramsJson)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest && latest.status !== 'success') {
    await store.db.updateTable('ingest_runs').set({ status: 'running', error: null, finished_at: null }).where('id', '=', latest.id).execute();
    return {
      id: latest.id,
      checkpoint: latest.checkpoint === null ? null : (JSON.parse(latest.checkpoint) as Checkpoint),
      totals: { fetched: latest.fetched, inserted: latest.inserted, updated: latest.updated, unchanged: latest.unchanged, failed: latest.failed },
      resumed: true,
    };
  }
  return { id: await startIngestRun(store, source, params), checkpoint: null, totals: emptyTotals(), resumed: false };
}

/** Records progress; call inside the transaction that stored the work it describes, so both commit together. */
export async function saveCheckpoint(tx: Db, runId: number, checkpoint: unknown, totals: IngestRunTotals): Promise<void> {
  await tx
    .updateTable('ingest_runs')
    .set({ checkpoint: JSON.stringify(checkpoint), ...totals })
    .where('id', '=', runId)
    .execute();
}

/** Records that an ingest started, for one-shot sources with nothing to resume. */
export async function startIngestRun(store: Store, source: string, params: Record<string, unknown>): Promise<number> {
  const row = await store
    .db.insertInto('ingest_runs')
    .values({ source, params: JSON.stringify(params), status: 'running', started_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishIngestRun(store: Store, runId: number, totals: IngestRunTotals, error?: unknown): Promise<void> {
  await store
    .db.updateTable('ingest_runs')
    .set({
      status: error === undefined ? 'success' : 'failed',
      finished_at: new Date().toISOString(),
      ...totals,
      ...(error === undefined ? { checkpoint: null } : {}),
      error: error === undefined ? null : String(error instanceof Error ? error.message : error),
    })
    .where('id', '=', runId)
    .execute();
}
