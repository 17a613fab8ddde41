import { parseAnnouncementFeed, type AnnouncementEntry } from '../arxiv/announcement-feed.ts';
import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';
import type { DayKind } from '../store/announcement-days.ts';
import type { ArxivSources } from '../arxiv/sources.ts';
import { announcementFeedUrl } from '../arxiv/urls.ts';
import { fetchRecordsByIds } from '../arxiv/fetch-records.ts';
import { addTotals, emptyTotals, type IngestInput, type IngestRunTotals } from './ingest-runs.ts';

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

/**
 * `papersift ingest`: reads the announcement feed of the followed categories, fetches full metadata of
 * the listed papers that are new or newer than stored, and records what arXiv listed and what was
 * stored. The feed's validators are saved only after everything it listed is stored, so a conditional
 * "304 Not Modified" can never hide papers that an interrupted run did not store.
 */
export async function ingestLatestAnnouncements(ctx: IngestInput, sources: ArxivSources, now: Date = new Date()): Promise<AnnouncementIngestReport> {
  const categories = ctx.config.categories;
  const url = announcementFeedUrl(sources.rssUrl, categories);
  const runId = await ctx.store.ingestRuns.start('rss', { categories });
  const totals = emptyTotals();
  try {
    const response = await sources.http.get(url, { headers: await ctx.store.ingestRuns.validatorsOf(url) });
    const expectedDay = sources.calendar.latestAnnouncementDay(now);
    if (response.status === 304 || response.body === null) {
      await ctx.store.ingestRuns.finish(runId, totals);
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
    const ids = [...new Set(entries.map((e) => e.id))];
    const storedVersions = await ctx.store.papers.latestVersions(ids);
    const byId = new Map(entries.map((e) => [e.id, e]));
    const stale = ids.filter((id) => (storedVersions.get(id) ?? 0) < byId.get(id)!.version);
    const staleIds = new Set(stale);
    const current = entries.filter((e) => !staleIds.has(e.id));

    const bar = ctx.progress(`ingest announcements of ${day}`);
    bar.start(entries.length);
    // Papers already stored at the listed version only gain the announcement row.
    await ctx.store.papers.recordAnnouncements(
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
      addTotals(totals, await ctx.store.papers.storeAnnounced(announced, 'rss'));
      bar.advance(asked.length);
    });
    bar.stop();

    const listedByCategory = new Map(categories.map((c) => [c, entries.filter((e) => e.categories.includes(c)).length]));
    await ctx.store.announcementDays.record(day, kind, listedByCategory, ids.length);
    await ctx.store.ingestRuns.saveValidators(url, response.etag, response.lastModified);
    await ctx.store.ingestRuns.finish(runId, totals);
    ctx.logger.info('announcements ingested', { day, kind, listed: ids.length, ...totals });
    return { ...totals, day, kind, listed: ids.length, notModified: false };
  } catch (error) {
    await ctx.store.ingestRuns.finish(runId, totals, error);
    throw error;
  }
}
