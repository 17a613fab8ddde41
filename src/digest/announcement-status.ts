import { toEastern, type ArxivCalendar, type DayKind as CalendarDayKind } from '../arxiv/calendar.ts';
import type { DayStatus } from '../store/announcement-days.ts';
import type { Store } from '../store/store.ts';

/** What the digest says about arXiv's schedule, so a quiet day never looks like a broken site. */
export interface AnnouncementStatus {
  /** Today's date in US Eastern time, arXiv's clock. */
  today: string;
  todayKind: CalendarDayKind;
  /** What arXiv listed and papersift stored for the day shown, when that day was checked. */
  shownDay: DayStatus | null;
  next: { day: string; at: string };
}

export async function getAnnouncementStatus(store: Store, calendar: ArxivCalendar, shownDay: string, now: Date = new Date()): Promise<AnnouncementStatus> {
  const today = toEastern(now).date;
  const next = calendar.nextAnnouncement(now);
  return {
    today,
    todayKind: calendar.kindOf(today),
    shownDay: await store.announcementDays.status(shownDay),
    next: { day: next.day, at: next.at.toISOString() },
  };
}
