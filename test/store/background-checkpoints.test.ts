import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { startBackgroundCheckpoints } from '../../src/store/checkpoints.ts';
import { makeTempDir } from '../helpers/context.ts';
import { onlyBackend } from '../helpers/database.ts';

const SQLITE_ONLY = onlyBackend('sqlite', 'SQLite WAL checkpoints by a worker thread; PostgreSQL checkpoints itself');

test('a worker thread copies what the writer committed into the database file while the writer goes on', SQLITE_ONLY, async () => {
  const { dir, cleanup } = makeTempDir();
  const file = path.join(dir, 'wal.db');
  const writer = new SQLite(file);
  writer.pragma('journal_mode = WAL');
  // The writer never checkpoints itself here, so every copied frame was copied by the worker.
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = writer.prepare('INSERT INTO t (body) VALUES (?)');
  writer.transaction(() => {
    for (let i = 0; i < 2000; i += 1) insert.run('x'.repeat(500));
  })();
  const errors: string[] = [];
  const copied = await new Promise<{ walFrames: number; copiedFrames: number }>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('no checkpoint within 5 s')), 5000);
    const checkpoints = startBackgroundCheckpoints(file, 50, {
      onCheckpoint: (walFrames, copiedFrames) => {
        clearTimeout(timeout);
        checkpoints.stop();
        resolve({ walFrames, copiedFrames });
      },
      onError: (message) => errors.push(message),
    });
  });
  assert.ok(copied.walFrames > 10, `the WAL held ${copied.walFrames} frames`);
  assert.equal(copied.copiedFrames, copied.walFrames);
  assert.deepEqual(errors, []);
  // stop() returned after the worker closed its connection, so the writer's close is the last one:
  // SQLite then checkpoints and removes the WAL, and a reader of the database file alone sees all rows.
  writer.close();
  assert.equal(fs.existsSync(`${file}-wal`), false, 'the WAL is gone once the last connection closed');
  const reader = new SQLite(file, { readonly: true });
  assert.equal((reader.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2000);
  reader.close();
  cleanup();
});
