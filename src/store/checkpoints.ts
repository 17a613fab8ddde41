import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the writer's thread. A checkpoint copies the WAL into the database file and
 * fsyncs both; run by the committing connection (SQLite's default), it stalls an ingest for a quarter
 * of its time on this kind of disk. A second connection in a worker thread checkpoints every
 * `intervalMs` instead, while the writer goes on; the writer's own automatic checkpoint stays as a
 * backstop at a larger WAL size, so the file cannot grow without bound if the worker falls behind.
 */
export interface BackgroundCheckpoints {
  /** Closes the worker's connection; returns once it is closed (or after `timeoutMs`). */
  stop(timeoutMs?: number): void;
}

export const WRITER_AUTOCHECKPOINT_PAGES = 8192;

export interface CheckpointEvents {
  /** A checkpoint ran: how many frames the WAL held and how many of them are now in the database file. */
  onCheckpoint?: (walFrames: number, copiedFrames: number) => void;
  onError?: (message: string) => void;
}

export function startBackgroundCheckpoints(file: string, intervalMs = 250, events: CheckpointEvents = {}): BackgroundCheckpoints {
  const closed = new SharedArrayBuffer(4);
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, intervalMs, closed } });
  worker.on('message', (message: { error?: string; checkpoint?: { walFrames: number; copiedFrames: number } }) => {
    if (message.error) events.onError?.(message.error);
    if (message.checkpoint) events.onCheckpoint?.(message.checkpoint.walFrames, message.checkpoint.copiedFrames);
  });
  worker.on('error', (error) => events.onError?.(String(error)));
  // Never the reason a process stays alive: the WAL is safe on disk and replayed on the next open.
  worker.unref();
  let stopped = false;
  let exited = false;
  worker.on('exit', () => {
    exited = true;
  });
  return {
    stop: (timeoutMs = 5000) => {
      if (stopped || exited) return;
      stopped = true;
      worker.postMessage('stop');
      // Closing a store is synchronous (Kysely's driver calls close() without awaiting), so this
      // blocks until the worker has closed its connection; the worker answers on its own thread.
      Atomics.wait(new Int32Array(closed), 0, 0, timeoutMs);
    },
  };
}
