/**
 * arXiv's announcement calendar. Announcements go out Sunday to Thursday at 20:00 US Eastern; each is
 * dated by its mailing day, Monday to Friday (the "announcement day" papersift shows). Submissions
 * received before 14:00 Eastern on a weekday are announced that evening. arXiv also skips a few
 * mailings a year for holidays, published on its availability page; those are listed below and can be
 * extended with PAPERSIFT_ARXIV_HOLIDAYS.
 */

const ANNOUNCE_HOUR = 20;
const CUTOFF_HOUR = 14;

/** Mailing days arXiv skipped, from https://info.arxiv.org/help/availability.html (announcement evenings, Eastern). */
const KNOWN_HOLIDAY_EVENINGS = ['2023-01-16', '2023-06-14', '2023-06-19', '2023-07-04', '2023-09-04', '2023-11-23', '2023-12-25', '2023-12-27'];

export type DayKind = 'announcement' | 'weekend' | 'holiday';

interface EasternTime {
  date: string;
  hour: number;
  minute: number;
}

/** Day of month of the n-th Sunday of a month (UTC calendar arithmetic). */
function nthSunday(year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + (n - 1) * 7;
}

/**
 * US Eastern offset at an instant: daylight time from the second Sunday of March 02:00 EST to the
 * first Sunday of November 02:00 EDT (US rules since 2007). Computed, not looked up, because
 * Intl's time-zone formatting is slow enough to matter when dating a million backfilled papers.
 */
function easternOffsetHours(instant: Date): number {
  const year = instant.getUTCFullYear();
  const dstStart = Date.UTC(year, 2, nthSunday(year, 2, 2), 7); // 02:00 EST = 07:00 UTC
  const dstEnd = Date.UTC(year, 10, nthSunday(year, 10, 1), 6); // 02:00 EDT = 06:00 UTC
  const t = instant.getTime();
  return t >= dstStart && t < dstEnd ? -4 : -5;
}

export function toEastern(instant: Date): EasternTime {
  const local = new Date(instant.getTime() + easternOffsetHours(instant) * 3_600_000);
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
}

export class ArxivCalendar {
  private readonly holidayEvenings: Set<string>;
  private readonly submissionDays = new Map<string, string>();

  constructor(extraHolidayEvenings: string[] = []) {
    this.holidayEvenings = new Set([...KNOWN_HOLIDAY_EVENINGS, ...extraHolidayEvenings]);
  }

  /** The evening (Eastern date) whose announcement is mailed as `mailingDay`. */
  announcementEveningOf(mailingDay: string): string {
    return addDays(mailingDay, -1);
  }

  /** Whether arXiv mails an announcement dated `day`, and why not when it does not. */
  kindOf(day: string): DayKind {
    const dow = weekday(day);
    if (dow === 0 || dow === 6) return 'weekend';
    return this.holidayEvenings.has(this.announcementEveningOf(day)) ? 'holiday' : 'announcement';
  }

  /** The mailing day of the latest announcement made at or before `instant`. */
  latestAnnouncementDay(instant: Date): string {
    const eastern = toEastern(instant);
    // An evening announcement is mailed as the next day's date.
    let evening = eastern.hour >= ANNOUNCE_HOUR ? eastern.date : addDays(eastern.date, -1);
    for (let i = 0; i < 14; i += 1) {
      const mailing = addDays(evening, 1);
      if (this.kindOf(mailing) === 'announcement') return mailing;
      evening = addDays(evening, -1);
    }
    throw new Error(`no arXiv announcement in the two weeks before ${instant.toISOString()}`);
  }

  /** The mailing day of the next announcement after `instant`, and when it goes out. */
  nextAnnouncement(instant: Date): { day: string; at: Date } {
    const eastern = toEastern(instant);
    let evening = eastern.hour >= ANNOUNCE_HOUR ? addDays(eastern.date, 1) : eastern.date;
    for (let i = 0; i < 14; i += 1) {
      const mailing = addDays(evening, 1);
      if (this.kindOf(mailing) === 'announcement') return { day: mailing, at: easternWallTimeToInstant(evening, ANNOUNCE_HOUR) };
      evening = addDays(evening, 1);
    }
    throw new Error(`no arXiv announcement in the two weeks after ${instant.toISOString()}`);
  }

  /**
   * The mailing day on which a submission (by its timestamp) was first announced, assuming no moderation
   * delay: used to date papers that come from backfills, where arXiv does not say when they were listed.
   */
  announcementDayForSubmission(submitted: Date): string {
    const eastern = toEastern(submitted);
    // The answer depends only on the Eastern date and the side of the cutoff; a backfill asks it for
    // every paper, nearly always about the same few days.
    const key = `${eastern.date}${eastern.hour >= CUTOFF_HOUR ? '>' : '<'}`;
    let day = this.submissionDays.get(key);
    if (day === undefined) {
      day = this.placeSubmission(eastern);
      if (this.submissionDays.size >= 10_000) this.submissionDays.clear();
      this.submissionDays.set(key, day);
    }
    return day;
  }

  private placeSubmission(eastern: EasternTime): string {
    let evening = eastern.date;
    if (eastern.hour >= CUTOFF_HOUR) evening = addDays(evening, 1);
    for (let i = 0; i < 14; i += 1) {
      const dow = weekday(evening);
      // Evenings without announcements: Friday and Saturday, and holidays.
      const mailing = addDays(evening, 1);
      if (dow !== 5 && dow !== 6 && this.kindOf(mailing) === 'announcement') return mailing;
      evening = addDays(evening, 1);
    }
    throw new Error(`cannot place a submission of ${eastern.date} (Eastern) on the calendar`);
  }
}

/** The UTC instant of a wall-clock hour in US Eastern time on a date (handles daylight saving). */
export function easternWallTimeToInstant(date: string, hour: number): Date {
  // Eastern time is UTC-4 in summer and UTC-5 in winter: one of the two fits.
  for (const offset of [4, 5]) {
    const guess = new Date(Date.parse(`${date}T00:00:00Z`) + (hour + offset) * 3_600_000);
    const eastern = toEastern(guess);
    if (eastern.date === date && eastern.hour === hour) return guess;
  }
  throw new Error(`no instant for ${date} ${hour}:00 Eastern`);
}
