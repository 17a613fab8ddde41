import type { Db } from '../db.ts';

export abstract class SearchIndexRepository {
  constructor(protected readonly db: Db) {}
}

export class SqliteSearchIndex extends SearchIndexRepository {}

export class PostgresSearchIndex extends SearchIndexRepository {}
