import type { DatabaseTarget } from '../config/config.ts';
import { openDatabase, type Db } from './db.ts';
import { dialectOf, type Dialect } from './dialect.ts';
import { AnnouncementDaysRepository } from './repositories/announcement-days.ts';
import { AuthorsRepository } from './repositories/authors.ts';
import { DigestsRepository } from './repositories/digests.ts';
import { IngestRunsRepository } from './repositories/ingest-runs.ts';
import { JobsTable, PostgresJobsTable, SqliteJobsTable } from './repositories/jobs-table.ts';
import { LedgerRepository } from './repositories/ledger.ts';
import { PapersRepository } from './repositories/papers.ts';
import { PostgresSearchIndex, SearchIndexRepository, SqliteSearchIndex } from './repositories/search-index.ts';
import { ScoresRepository } from './repositories/scores.ts';
import { SummariesRepository } from './repositories/summaries.ts';

/**
 * The repositories of a store, one per concern, each built once for the backend in use: a class per
 * dialect where their SQL differs, one shared class where Kysely writes the same SQL for both.
 */
export interface Repositories {
  papers: PapersRepository;
  summaries: SummariesRepository;
  scores: ScoresRepository;
  digests: DigestsRepository;
  authors: AuthorsRepository;
  ledger: LedgerRepository;
  /** Writes the full-text index (the search-index stage); searching it is `search` (TODO: reads). */
  searchIndex: SearchIndexRepository;
  jobsTable: JobsTable;
  announcementDays: AnnouncementDaysRepository;
  ingestRuns: IngestRunsRepository;
}

/** A store, or one transaction of it: the same repositories over a transaction's handle. */
export interface StoreScope extends Repositories {
  readonly dialect: Dialect;
  /** The Kysely handle: only src/store and tests use it. */
  readonly db: Db;
}

export interface Store extends StoreScope {
  /** Runs `work` in one transaction; the repositories it is given write inside it. */
  transaction<T>(work: (tx: StoreScope) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One line per repository: the builder picks each one's implementation for the dialect. */
function buildRepositories(db: Db, dialect: Dialect): Repositories {
  const postgres = dialect === 'postgres';
  return {
    papers: new PapersRepository(db),
    summaries: new SummariesRepository(db),
    scores: new ScoresRepository(db),
    digests: new DigestsRepository(db),
    authors: new AuthorsRepository(db),
    ledger: new LedgerRepository(db),
    searchIndex: postgres ? new PostgresSearchIndex(db) : new SqliteSearchIndex(db),
    jobsTable: postgres ? new PostgresJobsTable(db) : new SqliteJobsTable(db),
    announcementDays: new AnnouncementDaysRepository(db),
    ingestRuns: new IngestRunsRepository(db),
  };
}

/** Repositories over an open handle (a store's, or a transaction's). */
export function storeScope(db: Db, dialect: Dialect = dialectOf(db)): StoreScope {
  return { dialect, db, ...buildRepositories(db, dialect) };
}

/** Opens (creating and migrating if needed) the database of `target` and builds its repositories. */
export async function openStore(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Store> {
  const db = await openDatabase(target, options);
  const dialect = target.dialect;
  return {
    ...storeScope(db, dialect),
    transaction: (work) => db.transaction().execute((tx) => work(storeScope(tx, dialect))),
    close: () => db.destroy(),
  };
}
