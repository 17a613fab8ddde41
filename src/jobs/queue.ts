import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The job queue seen by the pipeline, one interface over two implementations: pg-boss on PostgreSQL
 * (pg-boss-queue.ts) and a table in the store on SQLite (sqlite-queue.ts). Jobs are idempotent by key
 * (paper id + version + stage, or stage + slot for whole-store stages): enqueueing a key twice adds
 * one job. A failing job is retried with exponential backoff; after the last attempt it is dead (a
 * dead letter), kept and listed by `papersift jobs`.
 */
export const STAGES = ['ingest', 'enrich', 'summarize', 'score'] as const;
export type Stage = (typeof STAGES)[number];

export const JOB_STATES = ['queued', 'active', 'retry', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What each stage's job carries (validated when a worker takes it: it crossed a process boundary). */
export const jobDataSchemas = {
  ingest: z.object({ slot: z.string() }),
  enrich: z.object({ slot: z.string() }),
  summarize: z.object({ paperId: z.string().min(1), version: z.number().int().min(1) }),
  // `waited`: how many times this slot's scoring was put off for summaries still running (the score case of stageHandler, stages.ts).
  score: z.object({ slot: z.string(), waited: z.number().int().min(0).optional() }),
} satisfies Record<Stage, z.ZodType>;

export type JobData<S extends Stage = Stage> = z.infer<(typeof jobDataSchemas)[S]>;

export interface JobSpec<S extends Stage = Stage> {
  stage: S;
  key: string;
  data: JobData<S>;
  /** Not taken by a worker before this many seconds from enqueueing (default: at once). */
  delaySeconds?: number;
}

export interface Job<S extends Stage = Stage> extends JobSpec<S> {
  id: string;
  /** 1 for the first try. */
  attempt: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  backoffSeconds: number;
  /** A job running longer than this is taken to have died with its worker and is retried. */
  leaseSeconds: number;
}

export interface StateCount {
  stage: Stage;
  state: JobState;
  count: number;
}

export interface DeadLetter {
  id: string;
  stage: Stage;
  key: string;
  attempts: number;
  error: string | null;
  failedAt: string | null;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface Worker {
  /** Stops taking jobs and waits for the running ones to finish (graceful shutdown). */
  stop(): Promise<void>;
}

export interface JobQueue {
  readonly kind: 'pg-boss' | 'sqlite';
  /** Adds the jobs whose keys are new; returns how many were added. */
  enqueue(jobs: JobSpec[]): Promise<number>;
  /** Runs `handler` for jobs of `stages`, at most `concurrency` at once, until stopped. */
  work(stages: readonly Stage[], concurrency: number, handler: JobHandler): Promise<Worker>;
  counts(): Promise<StateCount[]>;
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

export function summarizeJob(paperId: string, version: number): JobSpec<'summarize'> {
  return { stage: 'summarize', key: `${paperId}v${version}:summarize`, data: { paperId, version } };
}

export function slotJob(stage: 'ingest' | 'enrich' | 'score', slot: string): JobSpec {
  return { stage, key: `${stage}:${slot}`, data: { slot } };
}

/**
 * The slot's score job put off once more (the `waited`-th time), to run after `delaySeconds`: keyed by
 * the count, so the deferral of one slot is one job however many workers see it.
 */
export function deferredScoreJob(slot: string, waited: number, delaySeconds: number): JobSpec<'score'> {
  return { stage: 'score', key: `score:${slot}:wait${waited}`, data: { slot, waited }, delaySeconds };
}

/** Jobs of a stage not finished yet: queued, running or waiting to be retried (not done, not dead). */
export function unfinished(counts: readonly StateCount[], stage: Stage): number {
  return counts.filter((c) => c.stage === stage && c.state !== 'done' && c.state !== 'dead').reduce((sum, c) => sum + c.count, 0);
}

/** A UUID derived from a job key (the name-based layout of RFC 4122 v5), so a key always maps to one job id. */
export function keyToUuid(key: string): string {
  const hex = createHash('sha1').update(`papersift:${key}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function retryDelaySeconds(policy: RetryPolicy, attempt: number): number {
  return policy.backoffSeconds * 2 ** Math.max(0, attempt - 1);
}
