import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { DatabaseTarget } from '../config/config.ts';

/**
 * Start-up work that any number of processes may begin at the same moment on one store — migrations,
 * pg-boss's schema and queues, loading the snapshot into an empty store — runs one process at a time,
 * and each step finds the work of an earlier process done and goes on. Measured before: `serve` and a
 * worker started together on a fresh PostgreSQL database deadlocked inside pg-boss's schema creation
 * (`deadlock detected`, and `type "job_state" already exists`).
 *
 * PostgreSQL: a session advisory lock on a connection of its own; the server frees it if the process
 * dies. SQLite: a lock file beside the database naming its holder's pid (the processes share the machine);
 * a lock whose holder is gone is taken over.
 */

/** pg_advisory_lock key: any fixed 64-bit number no other code on the database uses ("papersif" as 8 ASCII bytes, read as a number). */
const ADVISORY_KEY = '8097877186003036518';
const FILE_POLL_MS = 50;

export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

export interface StartupRetry {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_STARTUP_RETRY: StartupRetry = { attempts: 8, baseDelayMs: 250, maxDelayMs: 5_000 };

/** Runs `task` while holding the store's start-up lock; transient database errors are retried with backoff. */
export async function withStartupLock<T>(target: DatabaseTarget, task: () => Promise<T>, retry: StartupRetry = DEFAULT_STARTUP_RETRY): Promise<T> {
  const once = () => (target.dialect === 'postgres' ? withAdvisoryLock(target.url, task) : withLockFile(target.file, task));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await once();
    } catch (error) {
      if (!isTransientStartupError(error)) throw error;
      if (attempt >= retry.attempts) {
        throw new StartupError(`the database was not ready after ${attempt} tries: ${describe(error)}`, { cause: error });
      }
      const delayMs = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      retry.onRetry?.(error, attempt, delayMs);
      await delay(delayMs);
    }
  }
}

/**
 * Errors that a later try may not meet: a deadlock or serialization failure between starting
 * processes, a server that is still starting or refuses connections for now, too many connections,
 * SQLite's busy database.
 */
export function isTransientStartupError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (/deadlock detected|could not serialize access|the database system is starting up|Connection terminated unexpectedly/i.test(e.message)) return true;
  }
  return false;
}

const TRANSIENT_CODES = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08006', // connection_failure
  '08001', // sqlclient_unable_to_establish_sqlconnection
  'ECONNREFUSED',
  'ECONNRESET',
  'SQLITE_BUSY',
]);

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withAdvisoryLock<T>(url: string, task: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${ADVISORY_KEY}::bigint)`);
    try {
      return await task();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${ADVISORY_KEY}::bigint)`).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function withLockFile<T>(file: string, task: () => Promise<T>): Promise<T> {
  if (file === ':memory:') return task();
  const lockPath = `${file}.startup-lock`;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // The database's folder does not exist yet: openStore would make it.
        fs.mkdirSync(path.dirname(lockPath), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (holderIsGone(lockPath)) {
        fs.rmSync(lockPath, { force: true });
        continue;
      }
      await delay(FILE_POLL_MS);
    }
  }
  try {
    return await task();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

/** The lock file names a process that no longer runs (killed mid-start), or it is unreadable garbage. */
function holderIsGone(lockPath: string): boolean {
  let pid: number;
  let ageMs: number;
  try {
    pid = Number(fs.readFileSync(lockPath, 'utf8'));
    ageMs = Date.now() - fs.statSync(lockPath).mtimeMs;
  } catch {
    return false; // removed meanwhile: the next try takes it
  }
  // No pid yet may be a holder between creating the file and writing to it: only an old one is garbage.
  if (!Number.isInteger(pid) || pid <= 0) return ageMs > 1_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
