import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase, onlyBackend } from '../helpers/database.ts';
import { samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';

const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

// Help is commander's text for the program as built, before any store is opened.
const HELP_ONCE = onlyBackend('sqlite', 'help text does not open a store, so it is the same on either backend');

test('every command has --help', HELP_ONCE, async () => {
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  for (const command of ['serve', 'ingest', 'summarize', 'select', 'run', 'config']) {
    assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
    const help = await runCli([command, '--help']);
    assert.equal(help.code, 0, `${command} --help`);
    assert.match(help.stdout, new RegExp(`Usage: papersift ${command}`));
  }
});

test('ingest, summarize and run do the work and report it; rerunning changes nothing', async () => {
  const env = { DATABASE_URL: (await freshDatabase(temp.dir, 'cli')).url, PAPERSIFT_SNAPSHOT: 'off', PAPERSIFT_LIVE_INGEST: 'off' };
  const file = writeSnapshotFile(temp.dir, await samplePapers(10));
  const ingest = await runCli(['ingest', '--snapshot', file], env);
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.deepEqual(JSON.parse(ingest.stdout), { fetched: 60, inserted: 60, updated: 0, unchanged: 0, failed: 0, indexed: 60 });
  assert.match(ingest.stderr, /fetched 60, new 60, updated 0, unchanged 0, failed 0/);
  assert.match(ingest.stderr, /ingest snapshot: finished/, 'progress is logged when not on a terminal');

  const summarize = await runCli(['summarize', '--limit', '25'], env);
  assert.equal(summarize.code, 0, summarize.stderr);
  assert.equal(JSON.parse(summarize.stdout).summarized, 25);

  const run = await runCli(['run'], env);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.summarize.summarized, 35);
  assert.equal(report.announcements, null, 'live ingest is off');
  assert.equal(Object.keys(report.digests).length, 6);

  const again = await runCli(['ingest', '--snapshot', file], env);
  assert.deepEqual(JSON.parse(again.stdout), { fetched: 60, inserted: 0, updated: 0, unchanged: 60, failed: 0, indexed: 0 });
});

test('failures exit non-zero with a clear message', async () => {
  const failing = { DATABASE_URL: (await freshDatabase(temp.dir, 'f')).url };
  const missing = await runCli(['ingest', '--snapshot', path.join(temp.dir, 'nope.jsonl')], failing);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /papersift: .*nope\.jsonl/);
  const broken = path.join(temp.dir, 'broken.jsonl');
  fs.writeFileSync(broken, '{"id": "2606.00001", "title": \n');
  const bad = await runCli(['ingest', '--snapshot', broken], failing);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /broken\.jsonl:1: not a snapshot line/);
  const config = await runCli(['run'], { PORT: 'x' });
  assert.notEqual(config.code, 0);
  assert.match(config.stderr, /PORT/);
  const unknown = await runCli(['summarize', '--limit', '-3']);
  assert.notEqual(unknown.code, 0);
});
