import type { Db } from '../db.ts';
import { getDayStatus, recordAnnouncementDay, type DayKind, type DayStatus } from '../announcement-days.ts';

/** announcement_days: what arXiv listed per day and category, and how many of those papers are stored. */
export class AnnouncementDaysRepository {
  constructor(protected readonly db: Db) {}

  record(day: string, kind: DayKind, listedByCategory: Map<string, number>, listedTotal: number): Promise<void> {
    return recordAnnouncementDay(this.db, day, kind, listedByCategory, listedTotal);
  }

  status(day: string): Promise<DayStatus | null> {
    return getDayStatus(this.db, day);
  }
}
