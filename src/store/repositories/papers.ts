import type { Db } from '../db.ts';

export class PapersRepository {
  constructor(protected readonly db: Db) {}
}
