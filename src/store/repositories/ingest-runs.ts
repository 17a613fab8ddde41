import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { inTransaction, type Db } from '../db.ts';
import { dialectOf } from '../dialect.ts';
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
  /** This process's claim on the run: checkpoints and the lease are written only under it. */
  token: string;
}

export const emptyTotals = (): IngestRunTotals => ({ fetched: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 });

/**
 * How long a run's owner counts as alive without renewing its lease (the owner renews it several times
 * within, see ingest-backfill.ts). Only matters for an owner on another host: one on this host that no
 * longer exists is gone at once.
 */
export const INGEST_RUN_LEASE_MS = 60_000;

/** Thrown to a process whose run another process took over (its lease had run out): it stops without writing. */
export class IngestRunTakenOverError extends Error {
  constructor(runId: number) {
    super(`ingest run ${runId} was taken over by another process (this one had not renewed its lease in time); stopping without writing`);
    this.name = 'IngestRunTakenOverError';
  }
}

type RunRow = { status: string; owner_token: string | null; owner_host: string | null; owner_pid: number | null; lease_until_ms: number | null };

/** Whether a process with this pid exists here (EPERM: it does, as another user). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An unfinished run may be resumed when nobody runs it any more; a live owner's run is left to it. */
function ownerGone(run: RunRow, now: number): boolean {
  if (run.status === 'failed' || run.owner_token === null || run.lease_until_ms === null) return true;
  if (run.lease_until_ms <= now) return true;
  return run.owner_host === os.hostname() && run.owner_pid !== process.pid && run.owner_pid !== null && !processExists(run.owner_pid);
}

/** ingest_runs: one row per ingest, with its counts, its checkpoint, its owner and any error. */
export class IngestRunsRepository {
  constructor(protected readonly db: Db) {}

  /**
   * Starts a run, or resumes the latest unfinished run with the same source and parameters from its
   * last committed checkpoint and with its totals, so an interrupted run is one run. Only a run whose
   * owner is gone (failed, killed, or silent past its lease) is resumed: a run another process is
   * still doing is left to it, and this process starts its own (storing is idempotent, so both end
   * with the same rows). Two processes deciding at once are serialised (SQLite: the write lock taken
   * by BEGIN IMMEDIATE; PostgreSQL: an advisory lock on the run's source and parameters).
   */
  async startOrResume<Checkpoint>(source: string, params: Record<string, unknown>, leaseMs = INGEST_RUN_LEASE_MS): Promise<IngestRun<Checkpoint>> {
    const paramsJson = JSON.stringify(params);
    const token = randomUUID();
    return inTransaction(this.db, async (tx) => {
      if (dialectOf(tx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${`papersift.ingest_runs|${source}|${paramsJson}`}))`.execute(tx);
      const now = Date.now();
      const owner = { owner_token: token, owner_host: os.hostname(), owner_pid: process.pid, lease_until_ms: now + leaseMs };
      const latest = await tx.selectFrom('ingest_runs').selectAll().where('source', '=', source).where('params', '=', paramsJson).orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (latest && latest.status !== 'success' && ownerGone(latest, now)) {
        await tx.updateTable('ingest_runs').set({ status: 'running', error: null, finished_at: null, ...owner }).where('id', '=', latest.id).execute();
        return {
          id: latest.id,
          checkpoint: latest.checkpoint === null ? null : (JSON.parse(latest.checkpoint) as Checkpoint),
          totals: { fetched: latest.fetched, inserted: latest.inserted, updated: latest.updated, unchanged: latest.unchanged, failed: latest.failed },
          resumed: true,
          token,
        };
      }
      const row = await tx
        .insertInto('ingest_runs')
        .values({ source, params: paramsJson, status: 'running', started_at: new Date(now).toISOString(), ...owner })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, checkpoint: null, totals: emptyTotals(), resumed: false, token };
    });
  }

  /** Renews the owner's lease; false when the run is no longer this claim's (taken over). */
  async renewLease(runId: number, token: string, leaseMs = INGEST_RUN_LEASE_MS): Promise<boolean> {
    const result = await this.db.updateTable('ingest_runs').set({ lease_until_ms: Date.now() + leaseMs }).where('id', '=', runId).where('owner_token', '=', token).executeTakeFirst();
    return result.numUpdatedRows > 0n;
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

  /**
   * Records progress; call inside the transaction that stored the work it describes, so both commit
   * together. With the run's claim token, renews the lease, and throws (rolling the work back) when
   * another process has taken the run over.
   */
  async saveCheckpoint(runId: number, checkpoint: unknown, totals: IngestRunTotals, token?: string, leaseMs = INGEST_RUN_LEASE_MS): Promise<void> {
    let update = this.db.updateTable('ingest_runs').set({ checkpoint: JSON.stringify(checkpoint), ...totals, ...(token ? { lease_until_ms: Date.now() + leaseMs } : {}) }).where('id', '=', runId);
    if (token) update = update.where('owner_token', '=', token);
    const result = await update.executeTakeFirst();
    if (token && result.numUpdatedRows === 0n) throw new IngestRunTakenOverError(runId);
  }

  /** Ends a run; with the claim token, only if it is still this process's run (a taken-over run is its new owner's to end). */
  async finish(runId: number, totals: IngestRunTotals, error?: unknown, token?: string): Promise<void> {
    let update = this.db
      .updateTable('ingest_runs')
      .set({
        status: error === undefined ? 'success' : 'failed',
        finished_at: new Date().toISOString(),
        ...totals,
        ...(error === undefined ? { checkpoint: null } : {}),
        error: error === undefined ? null : String(error instanceof Error ? error.message : error),
        lease_until_ms: null,
      })
      .where('id', '=', runId);
    if (token) update = update.where('owner_token', '=', token);
    await update.execute();
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
