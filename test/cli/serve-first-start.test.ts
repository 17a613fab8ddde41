import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { startServeProcess } from '../helpers/cli.ts';

const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

async function digestOf(url: string) {
  const response = await fetch(`${url}/api/v1/digest`);
  assert.equal(response.status, 200);
  return (await response.json()) as { date: string; papers: Array<{ id: string }> };
}

async function storedPapers(url: string): Promise<number> {
  return ((await (await fetch(`${url}/healthz`)).json()) as { papers: number }).papers;
}

test('first start loads the bundled snapshot and serves a full digest; a second start neither duplicates nor loses papers', async () => {
  // No live ingest: the first start must work from the bundled snapshot alone, and no test reaches arXiv.
  const env = { DATABASE_URL: (await freshDatabase(temp.dir, 'papersift')).url, HOST: '127.0.0.1', PAPERSIFT_LIVE_INGEST: 'off' };
  const started = Date.now();
  const first = await startServeProcess(env);
  const firstDigest = await digestOf(first.url);
  const firstCount = await storedPapers(first.url);
  console.log(`first start served ${firstDigest.papers.length} cards after ${Date.now() - started} ms`);
  assert.ok(firstDigest.papers.length >= 40, `${firstDigest.papers.length} cards`);
  assert.ok(firstCount >= 2000, `${firstCount} papers stored`);
  const html = await (await fetch(first.url)).text();
  assert.ok((html.match(/<article class="card"/g) ?? []).length >= 40, 'the page shows the cards');
  assert.equal(await first.stop(), 0, 'SIGTERM shuts down cleanly with exit code 0');

  const second = await startServeProcess(env);
  try {
    assert.equal(await storedPapers(second.url), firstCount);
    const secondDigest = await digestOf(second.url);
    assert.deepEqual(secondDigest.papers.map((p) => p.id), firstDigest.papers.map((p) => p.id), 'same digest after a restart');
  } finally {
    assert.equal(await second.stop(), 0);
  }
});
