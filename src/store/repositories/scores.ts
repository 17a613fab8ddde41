import type { Db } from '../db.ts';

export class ScoresRepository {
  constructor(protected readonly db: Db) {}
}
