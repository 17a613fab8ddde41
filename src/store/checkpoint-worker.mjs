// Runs SQLite WAL checkpoints on a connection of its own, in a worker thread (see checkpoints.ts).
// Plain JavaScript: a worker thread does not inherit the tsx loader that the main thread registers.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file);
const closed = new Int32Array(workerData.closed);
const timer = setInterval(() => {
  try {
    // PASSIVE copies what it can without waiting for the writer or readers; the rest waits for the next tick.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log > 0) parentPort.postMessage({ checkpoint: { walFrames: result.log, copiedFrames: result.checkpointed } });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  // The main thread waits on this flag, so that its own close is the last one (which checkpoints
  // and removes the WAL) and nothing touches the files after the store is closed.
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  parentPort.close();
});
