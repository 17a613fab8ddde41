import type { Db } from '../db.ts';

export class SummariesRepository {
  constructor(protected readonly db: Db) {}
}
