import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runFullPass } from '../../src/pipeline/run-pass.ts';
import { startWebServer, type RunningServer } from '../../src/web/server.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestContext, makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { startScholarlyServer, type ScholarlyServer } from '../helpers/scholarly-replay-server.ts';
import { HOSTILE_PAPER } from '../helpers/server.ts';
import { bundledPapers, writeSnapshotFile } from '../helpers/snapshot.ts';
import { enrichEnv, snapshotEnrichment } from './fixtures.ts';

let server: ScholarlyServer;
let snapshot: string;
const temp = makeTempDir();

before(async () => {
  server = await startScholarlyServer(snapshotEnrichment());
  const papers = (await bundledPapers()).filter((p) => p.record.authors.some((a) => a.name === 'Trung-Nghia Le'));
  snapshot = writeSnapshotFile(temp.dir, [...papers, HOSTILE_PAPER]);
});
after(async () => {
  await server.close();
  await dropTestDatabases();
  temp.cleanup();
});

test('`papersift authors enrich --limit N` looks up N papers, reports progress and totals', async () => {
  const env = { DATABASE_URL: (await freshDatabase(temp.dir, 'cli')).url, ...enrichEnv(server) };
  assert.equal((await runCli(['ingest', '--snapshot', snapshot], env)).code, 0);
  const result = await runCli(['authors', 'enrich', '--limit', '3'], env);
  assert.equal(result.code, 0, result.stderr);
  const totals = JSON.parse(result.stdout) as { papers: number; semanticScholar: { found: number } };
  assert.equal(totals.papers, 3);
  assert.match(result.stderr, /enrich authors: started total=3/);
  assert.match(result.stderr, /enrich authors: finished done=3 total=3/);
  assert.match(result.stderr, /^papers 3: Semantic Scholar found \d+, not found \d+; OpenAlex found/m);
  const help = await runCli(['authors', 'enrich', '--help']);
  assert.match(help.stdout, /--limit <n>/);
  assert.equal((await runCli(['authors', 'enrich', '--limit', '0'], env)).code, 1);
});

test('enrichment is a pipeline step after ingest in live passes; an offline start (live: false) and PAPERSIFT_ENRICH=off skip it', async () => {
  const ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: snapshot, ...enrichEnv(server) });
  try {
    const offline = await runFullPass(ctx, { live: false });
    assert.equal(offline.enrich, null);
    const before = server.requests.length;
    const live = await runFullPass(ctx);
    assert.ok(live.enrich && 'papers' in live.enrich && live.enrich.papers > 0);
    assert.ok(server.requests.length > before);
  } finally {
    await ctx.close();
  }
  const off = await createTestContext({ PAPERSIFT_SNAPSHOT: snapshot, ...enrichEnv(server), PAPERSIFT_ENRICH: 'off' });
  try {
    assert.equal((await runFullPass(off)).enrich, null);
  } finally {
    await off.close();
  }
});

test('API: every author on a card carries its profile id; the profile JSON has each figure with scope and source', async () => {
  const ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: snapshot, ...enrichEnv(server) });
  let web: RunningServer | undefined;
  try {
    await runFullPass(ctx);
    web = await startWebServer(ctx, { port: 0, host: '127.0.0.1' });
    const card = (await (await fetch(`${web.url}/api/v1/papers/2606.15867`)).json()) as { authors: Array<{ id: number; name: string }> };
    assert.equal(card.authors.length, 5);
    for (const author of card.authors) {
      assert.ok(Number.isInteger(author.id), `${author.name} has an id`);
      const profile = (await (await fetch(`${web.url}/api/v1/authors/${author.id}`)).json()) as Record<string, unknown>;
      assert.equal(profile.name, author.name);
    }
    const le = card.authors.find((a) => a.name === 'Trung-Nghia Le')!;
    const profile = (await (await fetch(`${web.url}/api/v1/authors/${le.id}`)).json()) as Record<string, { value: unknown; scope: string; source: string }> & { paperList: { papers: unknown[] } };
    for (const key of ['primaryCategory', 'hIndex', 'papers', 'citations', 'novelty', 'aiScore']) {
      assert.ok(profile[key] && typeof profile[key].scope === 'string' && typeof profile[key].source === 'string', `${key} has scope and source`);
    }
    assert.deepEqual([profile.hIndex?.value, profile.primaryCategory?.value], [21, 'cs.CV']);
    assert.ok(profile.paperList.papers.length >= 3);

    assert.equal((await fetch(`${web.url}/api/v1/authors/abc`)).status, 400);
    assert.equal((await fetch(`${web.url}/api/v1/authors/99999999`)).status, 404);
    assert.equal((await fetch(`${web.url}/api/v1/authors/${le.id}?page=0`)).status, 400);
    assert.equal((await fetch(`${web.url}/authors/99999999`)).status, 404);

    // Hostile names are text on the profile page as everywhere else.
    const hostile = (await (await fetch(`${web.url}/api/v1/papers/${HOSTILE_PAPER.record.id}`)).json()) as { authors: Array<{ id: number }> };
    const html = await (await fetch(`${web.url}/authors/${hostile.authors[0]!.id}`)).text();
    assert.ok(!html.includes('<svg onload'), 'escaped');
    assert.ok(html.includes('Mallory &lt;svg onload=alert(4)&gt;'));
  } finally {
    await web?.close();
    await ctx.close();
  }
});
