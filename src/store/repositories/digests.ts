import type { Db } from '../db.ts';

export class DigestsRepository {
  constructor(protected readonly db: Db) {}
}
