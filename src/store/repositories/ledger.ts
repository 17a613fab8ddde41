import type { Db } from '../db.ts';

export class LedgerRepository {
  constructor(protected readonly db: Db) {}
}
