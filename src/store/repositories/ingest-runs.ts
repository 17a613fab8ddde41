import type { Db } from '../db.ts';
import type { StoreCounts } from '../papers.ts';

/** What a run did, as its ingest_runs row counts it. */
export interface IngestRunTotals extends StoreCounts {
  fetched: number;
  failed: number;
}

export interface IngestRun<Checkpoint> {
  id: number;
  /** Where an interrupted earlier attempt of the same run stopped, or null for a fresh run. */
  checkpoint: Checkpoint | null;
  totals: IngestRunTotals;
  resumed: boolean;
}

export const emptyTotals = (): IngestRunTotals => ({ fetched: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 });

/** ingest_runs: one row per ingest, with its counts, its checkpoint and any error. */
export class IngestRunsRepository {
  constructor(protected readonly db: Db) {}

  /**
   * Starts a run, or resumes the latest unfinished run with the same source and parameters (killed or
   * failed), from its last committed checkpoint and with its totals, so an interrupted run is one run.
   */
  async startOrResume<Checkpoint>(source: string, params: Record<string, unknown>): Promise<IngestRun<Checkpoint>> {
    const paramsJson = JSON.stringify(params);
    const latest = await this.db
      .selectFrom('ingest_runs')
      .selectAll()
      .where('source', '=', source)
      .where('params', '=', paramsJson)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.status !== 'success') {
      await this.db.updateTable('ingest_runs').set({ status: 'running', error: null, finished_at: null }).where('id', '=', latest.id).execute();
      return {
        id: latest.id,
        checkpoint: latest.checkpoint === null ? null : (JSON.parse(latest.checkpoint) as Checkpoint),
        totals: { fetched: latest.fetched, inserted: latest.inserted, updated: latest.updated, unchanged: latest.unchanged, failed: latest.failed },
        resumed: true,
      };
    }
    return { id: await this.start(source, params), checkpoint: null, totals: emptyTotals(), resumed: false };
  }

  /** Records that an ingest started, for one-shot sources with nothing to resume; returns the run id. */
  async start(source: string, params: Record<string, unknown>): Promise<number> {
    const row = await this.db
      .insertInto('ingest_runs')
      .values({ source, params: JSON.stringify(params), status: 'running', started_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Records progress; call inside the transaction that stored the work it describes, so both commit together. */
  async saveCheckpoint(runId: number, checkpoint: unknown, totals: IngestRunTotals): Promise<void> {
    await this.db
      .updateTable('ingest_runs')
      .set({ checkpoint: JSON.stringify(checkpoint), ...totals })
      .where('id', '=', runId)
      .execute();
  }

  async finish(runId: number, totals: IngestRunTotals, error?: unknown): Promise<void> {
    await this.db
      .updateTable('ingest_runs')
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

  /** The conditional-request headers stored for a feed URL (none on a first fetch). */
  async validatorsOf(url: string): Promise<Record<string, string>> {
    const row = await this.db.selectFrom('http_validators').selectAll().where('url', '=', url).executeTakeFirst();
    const headers: Record<string, string> = {};
    if (row?.etag) headers['If-None-Match'] = row.etag;
    if (row?.last_modified) headers['If-Modified-Since'] = row.last_modified;
    return headers;
  }

  async saveValidators(url: string, etag: string | null, lastModified: string | null): Promise<void> {
    if (!etag && !lastModified) return;
    const now = new Date().toISOString();
    await this.db
      .insertInto('http_validators')
      .values({ url, etag, last_modified: lastModified, updated_at: now })
      .onConflict((oc) => oc.column('url').doUpdateSet({ etag, last_modified: lastModified, updated_at: now }))
      .execute();
  }
}
