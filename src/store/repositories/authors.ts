import type { Db } from '../db.ts';

export class AuthorsRepository {
  constructor(protected readonly db: Db) {}
}
