import type { ArxivCalendar } from './calendar.ts';
import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';

/**
 * Sources other than the announcement feeds (API lookups, OAI-PMH backfills) do not say on which day
 * arXiv listed a paper. The calendar places version 1 on the mailing day after its submission, and a
 * later version as a replacement on the day after it was submitted.
 */
export function inferAnnouncements(record: PaperRecord, calendar: ArxivCalendar, followed: Set<string>): AnnouncedPaper[] {
  const primaryFollowed = followed.has(record.categories[0]!);
  const firstDay = calendar.announcementDayForSubmission(new Date(record.published));
  const announced: AnnouncedPaper[] = [{ record, announcedOn: firstDay, announceType: primaryFollowed ? 'new' : 'cross', announcedVersion: 1 }];
  if (record.version > 1) {
    const replacedOn = calendar.announcementDayForSubmission(new Date(record.updated));
    if (replacedOn !== firstDay) announced.push({ record, announcedOn: replacedOn, announceType: primaryFollowed ? 'replace' : 'replace-cross' });
  }
  return announced;
}
