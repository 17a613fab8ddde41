import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ArxivFormatError } from '../../src/arxiv/errors.ts';
import { HttpStatusError } from '../../src/http/errors.ts';
import { ingestLatestAnnouncements } from '../../src/ingest/ingest-announcements.ts';
import { getDayStatus } from '../../src/store/announcement-days.ts';
import { REPO_ROOT, RECORDED_FIXTURES } from '../helpers/context.ts';
import { recordedApiEntries, startReplayServer } from '../helpers/arxiv-replay-server.ts';
import { contextFor } from '../helpers/ingest.ts';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/arxiv');
const handWrittenFeed = fs.readFileSync(path.join(FIXTURES, 'announcement-atom-cs.LG.xml'), 'utf8');
const NOW = new Date('2026-06-18T12:00:00Z'); // Thursday: the latest mailing is dated 2026-06-18

/** An Atom announcement feed listing real recorded API entries, with the given announce types. */
function feedOf(items: Array<{ id: string; version: number; type: string; categories: string[] }>, day: string): string {
  const entries = items
    .map(
      (item) => `<entry><id>oai:arXiv.org:${item.id}v${item.version}</id><title>t</title><updated>${day}T00:00:00-04:00</updated>
  <summary>arXiv:${item.id}v${item.version} Announce Type: ${item.type}
Abstract: a</summary>${item.categories.map((c) => `<category term="${c}"/>`).join('')}
  <published>${day}T00:00:00-04:00</published><arxiv:announce_type>${item.type}</arxiv:announce_type><dc:creator>A. Author</dc:creator></entry>`,
    )
    .join('\n');
  return `<?xml version='1.0' encoding='UTF-8'?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><id>http://rss.arxiv.org/atom/cs.LG</id><title>replay</title><updated>${day}T04:00:00+00:00</updated>${entries}</feed>`;
}

test('a feed with every announce type is stored exactly, with announcement types and per-category counts', async () => {
  const server = await startReplayServer({ feed: handWrittenFeed, feedEtag: '"feed-v1"' });
  const ctx = await contextFor(server, { PAPERSIFT_CATEGORIES: 'cs.LG,stat.ML' });
  try {
    const report = await ingestLatestAnnouncements(ctx, ctx.arxiv, NOW);
    assert.equal(report.day, '2026-06-18');
    assert.equal(report.kind, 'announcement');
    assert.equal(report.listed, 4);
    assert.equal(report.inserted, 4);
    const papers = await ctx.store.db.selectFrom('papers').select(['id', 'latest_version']).orderBy('id').execute();
    assert.deepEqual(papers, [
      { id: '2403.01177', latest_version: 2 },
      { id: '2511.08812', latest_version: 3 },
      { id: '2606.14721', latest_version: 1 },
      { id: '2606.15002', latest_version: 1 },
    ]);
    const types = await ctx.store.db.selectFrom('announcements').select(['paper_id', 'announce_type', 'version']).orderBy('paper_id').execute();
    assert.deepEqual(types.map((t) => t.announce_type), ['replace-cross', 'replace', 'new', 'cross']);
    const status = await getDayStatus(ctx.store.db, '2026-06-18');
    assert.equal(status?.listed, 4);
    assert.equal(status?.stored, 4);
    assert.deepEqual(status?.byCategory.find((c) => c.category === 'stat.ML'), { category: 'stat.ML', listed: 1, stored: 1 });

    // The second poll is conditional: 304, nothing fetched, nothing changed.
    const before = server.requests.length;
    const again = await ingestLatestAnnouncements(ctx, ctx.arxiv, NOW);
    assert.equal(again.notModified, true);
    assert.equal(server.requests.length, before + 1, 'only the feed was requested');
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('listed papers are fetched from the API in batches; already stored versions cost no request', async () => {
  const pool = recordedApiEntries();
  const ids = [...pool.keys()].slice(0, 25);
  const items = ids.map((id) => ({ id, version: Number(/abs\/[^<]+v(\d+)<\/id>/.exec(pool.get(id)!)![1]), type: 'new', categories: ['cs.LG'] }));
  const server = await startReplayServer({ feed: feedOf(items, '2025-12-16'), apiEntries: pool });
  const ctx = await contextFor(server);
  ctx.arxiv.idBatchSize = 10;
  try {
    const report = await ingestLatestAnnouncements(ctx, ctx.arxiv, new Date('2025-12-16T12:00:00Z'));
    assert.equal(report.inserted, 25);
    assert.equal(server.requests.filter((u) => u.searchParams.has('id_list')).length, 3, '25 ids in batches of 10');
    const stored = await ctx.store.db.selectFrom('papers').select(['id', 'comment', 'primary_category']).where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    assert.ok(stored.primary_category.length > 0);
    // The real API entries carry comments (the feed does not): proof the API data was stored.
    const withComments = await ctx.store.db.selectFrom('papers').select('id').where('comment', 'is not', null).execute();
    assert.ok(withComments.length > 5);

    const requestsBefore = server.requests.length;
    const again = await ingestLatestAnnouncements(ctx, ctx.arxiv, new Date('2025-12-16T12:00:00Z'));
    assert.equal(again.unchanged, 25);
    assert.equal(server.requests.length, requestsBefore + 1, 'no API request for papers already stored');
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('NUL and other control characters in arXiv text are dropped at the edge, so the store (PostgreSQL refuses NUL) takes the paper', async () => {
  const pool = recordedApiEntries();
  const [id] = [...pool.keys()];
  const entry = pool.get(id!)!;
  const version = Number(/abs\/[^<]+v(\d+)<\/id>/.exec(entry)![1]);
  const title = /<title>([^<]*)<\/title>/.exec(entry)![1]!;
  const hostile = entry.replace(`<title>${title}</title>`, `<title>\u0000${title}\u0007</title>`).replace(/<name>/, '<name>\u0000');
  const server = await startReplayServer({ feed: feedOf([{ id: id!, version, type: 'new', categories: ['cs.LG'] }], '2025-12-16'), apiEntries: new Map([[id!, hostile]]) });
  const ctx = await contextFor(server);
  try {
    const report = await ingestLatestAnnouncements(ctx, ctx.arxiv, new Date('2025-12-16T12:00:00Z'));
    assert.equal(report.inserted, 1);
    const stored = await ctx.store.db.selectFrom('paper_versions').select('title_raw').where('paper_id', '=', id!).executeTakeFirstOrThrow();
    assert.equal(stored.title_raw, title.trim());
    const firstAuthor = await ctx.store.db.selectFrom('paper_authors').select('name').where('paper_id', '=', id!).where('position', '=', 0).executeTakeFirstOrThrow();
    assert.ok(firstAuthor.name.length > 0 && !/\u0000/.test(firstAuthor.name), `a clean author name: ${JSON.stringify(firstAuthor.name)}`);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('an empty feed on a weekend is recorded as "weekend", not as missing papers', async () => {
  const empty = fs.readFileSync(path.join(FIXTURES, 'announcement-atom-empty-day.xml'), 'utf8');
  const server = await startReplayServer({ feed: empty });
  const ctx = await contextFor(server);
  try {
    const report = await ingestLatestAnnouncements(ctx, ctx.arxiv, new Date('2026-06-20T12:00:00Z'));
    assert.equal(report.listed, 0);
    assert.equal(report.kind, 'weekend');
    assert.equal((await getDayStatus(ctx.store.db, report.day))?.kind, 'weekend');
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('429 with Retry-After and 503 are retried; a truncated body is retried too', async () => {
  const server = await startReplayServer({ feed: handWrittenFeed });
  server.queueFault('rss', { status: 429, retryAfter: '1' });
  server.queueFault('rss', { truncate: true });
  const ctx = await contextFor(server, { ARXIV_MAX_RETRIES: '3' });
  try {
    const started = Date.now();
    const report = await ingestLatestAnnouncements(ctx, ctx.arxiv, NOW);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.equal(report.inserted, 4);
    assert.equal(server.requests.filter((u) => u.pathname.startsWith('/atom/')).length, 3);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('a service that keeps failing gives a clear error after the last retry and writes nothing', async () => {
  const server = await startReplayServer({ feed: handWrittenFeed });
  for (let i = 0; i < 3; i += 1) server.queueFault('rss', { status: 503 });
  const ctx = await contextFor(server, { ARXIV_MAX_RETRIES: '2' });
  try {
    await assert.rejects(ingestLatestAnnouncements(ctx, ctx.arxiv, NOW), (error: unknown) => {
      assert.ok(error instanceof HttpStatusError);
      assert.match(error.message, /503/);
      assert.match(error.message, /3 attempts|attempts: 3|after 3/);
      return true;
    });
    assert.equal((await ctx.store.db.selectFrom('papers').selectAll().execute()).length, 0);
    const run = await ctx.store.db.selectFrom('ingest_runs').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /503/);
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('a malformed or truncated feed is a clear format error and nothing is written', async () => {
  for (const feed of [handWrittenFeed.slice(0, handWrittenFeed.length / 2), '<feed><entry><id>oops</feed>', '']) {
    const server = await startReplayServer({ feed });
    const ctx = await contextFor(server);
    try {
      await assert.rejects(ingestLatestAnnouncements(ctx, ctx.arxiv, NOW), ArxivFormatError);
      assert.equal((await ctx.store.db.selectFrom('papers').selectAll().execute()).length, 0);
      assert.equal((await ctx.store.db.selectFrom('announcement_days').selectAll().execute()).length, 0);
    } finally {
      await ctx.close();
      await server.close();
    }
  }
});

test('the recorded real RSS 2.0 feed parses and stores its items', async () => {
  const feed = fs.readFileSync(path.join(RECORDED_FIXTURES, 'rss/arxiv_rss.xml'), 'utf8');
  const server = await startReplayServer({ feed });
  const ctx = await contextFor(server, { PAPERSIFT_CATEGORIES: 'cs.LG,cs.AI,cs.CL,cs.CV,stat.ML,cs.RO,cs.CR,cs.SE,cs.NE,cs.IR,cs.HC,cs.DC' });
  try {
    const report = await ingestLatestAnnouncements(ctx, ctx.arxiv, NOW);
    assert.ok(report.listed > 0, `${report.listed} listed`);
    assert.equal(report.inserted + report.updated + report.unchanged, report.listed);
  } finally {
    await ctx.close();
    await server.close();
  }
});
