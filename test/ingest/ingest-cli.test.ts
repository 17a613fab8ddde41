import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir, REPO_ROOT } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { startReplayServer } from '../helpers/arxiv-replay-server.ts';

const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});
const feed = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/arxiv/announcement-atom-cs.LG.xml'), 'utf8');

test('`papersift ingest` stores the announced papers of a replayed feed and prints the summary', async () => {
  const server = await startReplayServer({ feed });
  try {
    const database = await freshDatabase(temp.dir, 'rss');
    const result = await runCli(['ingest'], { DATABASE_URL: database.url, ARXIV_RSS_URL: server.rssUrl, ARXIV_API_URL: server.apiUrl, ARXIV_MIN_INTERVAL_MS: '5', PAPERSIFT_CATEGORIES: 'cs.LG,stat.ML' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /fetched 4, new 4, updated 0, unchanged 0, failed 0/);
    assert.equal(JSON.parse(result.stdout).listed, 4);
    assert.equal(server.requests[0]!.pathname, '/atom/cs.LG+stat.ML', 'one feed request for all followed categories');
    const store = await database.open();
    try {
      const rows = await store.db.selectFrom('paper_versions').select(['paper_id', 'version']).orderBy('paper_id').execute();
      assert.deepEqual(rows.map((r) => `${r.paper_id}v${r.version}`), ['2403.01177v2', '2511.08812v3', '2606.14721v1', '2606.15002v1']);
    } finally {
      await store.close();
    }
  } finally {
    await server.close();
  }
});

test('`papersift ingest` exits non-zero with a clear message when arXiv keeps answering 503', async () => {
  const server = await startReplayServer({ feed });
  for (let i = 0; i < 5; i += 1) server.queueFault('rss', { status: 503, retryAfter: '0' });
  try {
    const result = await runCli(['ingest'], { DATABASE_URL: (await freshDatabase(temp.dir, 'down')).url, ARXIV_RSS_URL: server.rssUrl, ARXIV_MIN_INTERVAL_MS: '5', ARXIV_MAX_RETRIES: '2', ARXIV_BACKOFF_MS: '5' });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /papersift: .*503/);
    assert.match(result.stderr, /127\.0\.0\.1/, 'the message names the URL');
  } finally {
    await server.close();
  }
});

test('bad ingest arguments are refused before anything runs', async () => {
  const database = await freshDatabase(temp.dir, 'args');
  for (const args of [['ingest', '--from', '2026-13-01'], ['ingest', '--ids', '2606.1,../x'], ['ingest', '--to', '2026-06-01'], ['ingest', '--from', '2026-06-02', '--to', '2026-06-01'], ['ingest', '--from', '2026-06-01', '--via', 'ftp']]) {
    const result = await runCli(args, { DATABASE_URL: database.url });
    assert.notEqual(result.code, 0, args.join(' '));
    assert.ok(result.stderr.length > 0);
  }
});
