import type { ArxivCalendar } from '../arxiv/calendar.ts';
import type { Store } from '../store/store.ts';
import { getAnnouncementStatus, type AnnouncementStatus } from './announcement-status.ts';
import { loadPaperDetails, toCard, type PaperCard } from './cards.ts';

export interface DigestStats {
  /** Papers shown in this day's digest. */
  papersToday: number;
  /** Papers arXiv announced that day in the followed categories (new submissions and cross-lists). */
  papersAnnounced: number;
  updateFrequencyHours: number | null;
  /** Announcement days browsable (at most the configured history window). */
  daysOfHistory: number;
}

export interface Digest {
  date: string;
  /** True when `date` is the latest announcement day in the store ("today"). */
  isLatest: boolean;
  stats: DigestStats;
  /** Browsable announcement days, newest first. */
  days: string[];
  announcement: AnnouncementStatus;
  papers: PaperCard[];
}

export interface DigestQuery {
  date?: string;
  historyDays: number;
  updateFrequencyHours: number | null;
  categories: string[];
  calendar: ArxivCalendar;
  now?: Date;
}

export class DigestNotFoundError extends Error {
  constructor(
    readonly date: string,
    readonly days: string[],
  ) {
    super(days.length === 0 ? 'no announcement day is stored yet' : `no digest for ${date}: browsable days are ${days.join(', ')}`);
    this.name = 'DigestNotFoundError';
  }
}

/** The digest of one announcement day ("today" = the latest one stored) with its figures. */
export async function getDigest(store: Store, query: DigestQuery): Promise<Digest> {
  const days = await store.digests.historyWindow(query.historyDays);
  const date = query.date ?? days[0];
  if (date === undefined || !days.includes(date)) throw new DigestNotFoundError(query.date ?? 'today', days);
  const entries = await store.dayLists.digestEntries(date);
  const details = await loadPaperDetails(store, entries.map((e) => e.paper_id));
  const whyOf = new Map(entries.map((e) => [e.paper_id, e.why]));
  const announced = await store.dayLists.announcedCount(date, query.categories);
  return {
    date,
    isLatest: date === days[0],
    days,
    announcement: await getAnnouncementStatus(store, query.calendar, date, query.now),
    stats: {
      papersToday: details.length,
      papersAnnounced: announced,
      updateFrequencyHours: query.updateFrequencyHours,
      daysOfHistory: days.length,
    },
    papers: details.map((d) => ({ ...toCard(d), why: whyOf.get(d.id) ?? null })),
  };
}
