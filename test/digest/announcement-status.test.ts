import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArxivCalendar } from '../../src/arxiv/calendar.ts';
import { getDigest } from '../../src/digest/digest-query.ts';
import { runFullPass } from '../../src/pipeline/run-pass.ts';
import { recordAnnouncementDay } from '../../src/store/announcement-days.ts';
import { DigestPage } from '../../src/web/pages/digest-page.tsx';
import { createTestContext, makeTempDir } from '../helpers/context.ts';
import { samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';

let ctx: Awaited<ReturnType<typeof createTestContext>>;
const temp = makeTempDir();
before(async () => {
  ctx = await createTestContext({ PAPERSIFT_SNAPSHOT: writeSnapshotFile(temp.dir, await samplePapers(5)) });
  await runFullPass(ctx);
});
after(async () => {
  await ctx.close();
  temp.cleanup();
});

async function renderAt(now: Date, calendar = new ArxivCalendar()) {
  const digest = await getDigest(ctx.store, { historyDays: 7, updateFrequencyHours: 8, categories: ctx.config.categories, calendar, now });
  return { digest, html: String(await DigestPage({ digest, filter: { tags: [], hasCode: false } }).toString()) };
}

test('on a Saturday the digest says there is no announcement today and when the next one comes', async () => {
  const { digest, html } = await renderAt(new Date('2026-06-27T15:00:00Z'));
  assert.equal(digest.announcement.todayKind, 'weekend');
  assert.ok(html.includes('No arXiv announcement today (weekend).'));
  assert.equal(digest.announcement.next.day, '2026-06-29');
  assert.ok(html.includes('Next announcement: Sunday, 8:00 PM EDT (mailing of Jun 29).'), html.match(/Next announcement[^<]*/)?.[0]);
  assert.ok(digest.papers.length > 0, 'the latest digest is still shown');
});

test('on an announcement day the digest states what arXiv listed and what was stored', async () => {
  const { html } = await renderAt(new Date('2026-06-26T15:00:00Z'));
  assert.ok(!html.includes('No arXiv announcement today'));
  assert.match(html, /Friday, June 26, 2026: announced at 20:00 ET the evening before; 5 papers listed in the followed categories, 5 stored\./);
});

test('a holiday and a day without announcement are stated plainly', async () => {
  await recordAnnouncementDay(ctx.store.db, '2026-06-26', 'holiday', new Map([['cs.LG', 0]]), 0);
  const { html } = await renderAt(new Date('2026-06-26T15:00:00Z'));
  assert.ok(html.includes('Friday, June 26, 2026: no announcement (holiday).'));
  const { digest } = await renderAt(new Date('2026-06-26T15:00:00Z'), new ArxivCalendar(['2026-06-25']));
  assert.equal(digest.announcement.todayKind, 'holiday');
});
