import type { Db } from '../db.ts';

/** The job table of the embedded queue (SQLite); on PostgreSQL pg-boss keeps its own schema. */
export abstract class JobsTable {
  constructor(protected readonly db: Db) {}
}

export class SqliteJobsTable extends JobsTable {}

export class PostgresJobsTable extends JobsTable {}
