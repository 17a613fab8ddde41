import type { Db } from '../db.ts';

export class IngestRunsRepository {
  constructor(protected readonly db: Db) {}
}
