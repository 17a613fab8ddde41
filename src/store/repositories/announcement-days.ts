import type { Db } from '../db.ts';

export class AnnouncementDaysRepository {
  constructor(protected readonly db: Db) {}
}
