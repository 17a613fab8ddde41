import { parseAnnouncementFeed, type AnnouncementEntry } from '../arxiv/announcement-feed.ts';
import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';
import type { AppContext } from '../pipeline/context.ts';
import { recordAnnouncementDay, type DayKind } from '../store/announcement-days.ts';
import { recordAnnouncements, storeAnnouncedPapers } from '../store/papers.ts';
import type { ArxivSources } from './arxiv-sources.ts';
import { announcementFeedUrl } from './arxiv-urls.ts';
import { fetchRecordsByIds } from './ingest-ids.ts';
import { addTotals, emptyTotals, finishIngestRun, startIngestRun, type IngestRunTotals } from './ingest-runs.ts';

export interface AnnouncementIngestReport extends IngestRunTotals {
  day: string;
  kind: DayKind;
  listed: number;
  notModified: boolean;
}

/** When the API does not return a listed paper (it lags the feeds by minutes), the feed's own data is stored. */
function recordFromFeed(entry: AnnouncementEntry): PaperRecord {
  return {
    id: entry.id,
    version: entry.version,
    title: entry.title,
    abstract: entry.abstract,
    authors: entry.authors.map((name) => ({ name, affiliations: [] })),
    categories: entry.categories,
    comment: null,
    journalRef: entry.journalRef,
    doi: entry.doi,
    license: entry.license,
    published: entry.announcedOn,
    updated: entry.announcedOn,
  };
}

async function loadValidators(ctx: AppContext, url: string): Promise<Record<string, string>> {
  const row = await ctx.store.db.selectFrom('http_validators').selectAll().where('url', '=', url).executeTakeFirst();
  const headers: Record<string, string> = {};
  if (row?.etag) headers['If-None-Match'] = row.etag;
  if (row?.last_modified) headers['If-Modified-Since'] = row.last_modified;
  return headers;
}

async function saveValidators(ctx: AppContext, url: string, etag: string | null, lastModified: string | null): Promise<void> {
  if (!etag && !lastModified) return;
  const now = new Date().toISOString();
  await ctx.store
    .db.insertInto('http_validators')
    .values({ url, etag, last_modified: lastModified, updated_at: now })
    .onConflict((oc) => oc.column('url').doUpdateSet({ etag, last_modified: lastModified, updated_at: now }))
    .execute();
}

/**
 * `papersift ingest`: reads the announcement feed of the followed categories, fetches full metadata of
 * the listed papers that are new or newer than stored, and records what arXiv listed and what was
 * stored. The feed's validators are saved only after everything it listed is stored, so a conditional
 * "304 Not Modified" can never hide papers that an interrupted run did not store.
 */
export async function ingestLatestAnnouncements(ctx: AppContext, sources: ArxivSources, now: Date = new Date()): Promise<AnnouncementIngestReport> {
  const categories = ctx.config.categories;
  const url = announcementFeedUrl(sources.rssUrl, categories);
  const runId = await startIngestRun(ctx.store, 'rss', { categories });
  const totals = emptyTotals();
  try {
    const response = await sources.http.get(url, { headers: await loadValidators(ctx, url) });
    const expectedDay = sources.calendar.latestAnnouncementDay(now);
    if (response.status === 304 || response.body === null) {
      await finishIngestRun(ctx.store, runId, totals);
      return { ...totals, day: expectedDay, kind: 'announcement', listed: 0, notModified: true };
    }
    const feed = parseAnnouncementFeed(response.body);
    const followed = new Set(categories);
    const entries = feed.entries.filter((e) => e.categories.some((c) => followed.has(c)));
    const day = entries[0]?.announcedOn ?? feed.feedDate ?? now.toISOString().slice(0, 10);
    const calendarKind = sources.calendar.kindOf(day);
    const kind: DayKind = entries.length > 0 ? 'announcement' : calendarKind === 'announcement' ? 'empty' : calendarKind;
    totals.fetched = entries.length;

    // Only what is new, or newer than stored, costs an API request.
    const storedVersions = new Map<string, number>();
    const ids = [...new Set(entries.map((e) => e.id))];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await ctx.store.db.selectFrom('papers').select(['id', 'latest_version']).where('id', 'in', ids.slice(i, i + 500)).execute();
      for (const row of rows) storedVersions.set(row.id, row.latest_version);
    }
    const byId = new Map(entries.map((e) => [e.id, e]));
    const stale = ids.filter((id) => (storedVersions.get(id) ?? 0) < byId.get(id)!.version);
    const staleIds = new Set(stale);
    const current = entries.filter((e) => !staleIds.has(e.id));

    const bar = ctx.progress(`ingest announcements of ${day}`);
    bar.start(entries.length);
    // Papers already stored at the listed version only gain the announcement row.
    await recordAnnouncements(
      ctx.store.db,
      current.map((e) => ({ paperId: e.id, announcedOn: e.announcedOn, announceType: e.announceType, version: e.version })),
    );
    addTotals(totals, { unchanged: current.length });
    bar.advance(current.length);
    await fetchRecordsByIds(sources, stale, async (records, asked) => {
      const returned = new Map(records.map((r) => [r.id, r]));
      const announced = asked.map((id): AnnouncedPaper => {
        const entry = byId.get(id)!;
        const record = returned.get(id);
        // The API may still serve the previous version for a few minutes after an announcement.
        const usable = record && record.version >= entry.version ? record : recordFromFeed(entry);
        return { record: usable, announcedOn: entry.announcedOn, announceType: entry.announceType, announcedVersion: entry.version };
      });
      addTotals(totals, await storeAnnouncedPapers(ctx.store.db, announced, 'rss'));
      bar.advance(asked.length);
    });
    bar.stop();

    const listedByCategory = new Map(categories.map((c) => [c, entries.filter((e) => e.categories.includes(c)).length]));
    await recordAnnouncementDay(ctx.store.db, day, kind, listedByCategory, ids.length);
    await saveValidators(ctx, url, response.etag, response.lastModified);
    await finishIngestRun(ctx.store, runId, totals);
    ctx.logger.info('announcements ingested', { day, kind, listed: ids.length, ...totals });
    return { ...totals, day, kind, listed: ids.length, notModified: false };
  } catch (error) {
    await finishIngestRun(ctx.store, runId, totals, error);
    throw error;
  }
}
