import type { DatabaseTarget } from '../config/config.ts';
import { migrationsPending, openDatabase, sqliteGeneration, type Db } from './db.ts';
import { dialectOf, type Dialect } from './dialect.ts';
import { postgresStoreGeneration, sqliteStoreGeneration } from './generation.ts';
import { AnnouncementDaysRepository } from './repositories/announcement-days.ts';
import { AuthorsRepository, PostgresAuthors, SqliteAuthors } from './repositories/authors.ts';
import { CardsRepository } from './repositories/cards.ts';
import { DayListsRepository } from './repositories/day-lists.ts';
import { DigestsRepository } from './repositories/digests.ts';
import { IngestRunsRepository } from './repositories/ingest-runs.ts';
import { PostgresJobsTable, SqliteJobsTable, type JobsTable } from './repositories/jobs-table.ts';
import { LedgerRepository } from './repositories/ledger.ts';
import { PapersRepository } from './repositories/papers.ts';
import { ProfilesRepository } from './repositories/profiles.ts';
import { RateGatesRepository } from './rate-gates.ts';
import { ReadersRepository } from './repositories/readers.ts';
import { SearchRepository } from './repositories/search.ts';
import { PostgresSearch } from './repositories/search-postgres.ts';
import { SqliteSearch } from './repositories/search-sqlite.ts';
import { PostgresSearchIndex, SearchIndexRepository, SqliteSearchIndex } from './repositories/search-index.ts';
import { PostgresScores, ScoresRepository, SqliteScores } from './repositories/scores.ts';
import { SummariesRepository } from './repositories/summaries.ts';

/**
 * The repositories of a store, one per concern, each built once for the backend in use: a class per
 * dialect where their SQL differs, one shared class where Kysely writes the same SQL for both.
 */
export interface Repositories {
  papers: PapersRepository;
  /** The external services' rate limits shared by every process on the store (issue 21). */
  rateGates: RateGatesRepository;
  summaries: SummariesRepository;
  scores: ScoresRepository;
  digests: DigestsRepository;
  authors: AuthorsRepository;
  ledger: LedgerRepository;
  /** Writes the full-text index (the search-index stage); searching it is `search`. */
  searchIndex: SearchIndexRepository;
  /** Full-text search over that index, with filters and pages (FTS5 or tsvector). */
  search: SearchRepository;
  /** The rows paper cards are built from, for many papers at once. */
  cards: CardsRepository;
  /** What one announcement day's pages list: its digest, the announced count, all its papers. */
  dayLists: DayListsRepository;
  /** Researcher profiles, and other papers by a paper's authors. */
  profiles: ProfilesRepository;
  jobsTable: JobsTable;
  announcementDays: AnnouncementDaysRepository;
  ingestRuns: IngestRunsRepository;
  /** Readers, their credentials (hashed), library, feedback and follows (issue 18). */
  readers: ReadersRepository;
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
  /** Changes whenever a commit (by any process) may have changed what pages show (generation.ts); the page cache keys on it. */
  generation(): Promise<string>;
  /** Migrations this build knows that the database has not applied (empty when the schema is current). */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

/** One line per repository: the builder picks each one's implementation for the dialect. */
function buildRepositories(db: Db, dialect: Dialect): Repositories {
  const postgres = dialect === 'postgres';
  return {
    papers: new PapersRepository(db),
    summaries: new SummariesRepository(db),
    scores: postgres ? new PostgresScores(db) : new SqliteScores(db),
    digests: new DigestsRepository(db),
    authors: postgres ? new PostgresAuthors(db) : new SqliteAuthors(db),
    ledger: new LedgerRepository(db),
    searchIndex: postgres ? new PostgresSearchIndex(db) : new SqliteSearchIndex(db),
    search: postgres ? new PostgresSearch(db) : new SqliteSearch(db),
    cards: new CardsRepository(db),
    dayLists: new DayListsRepository(db),
    profiles: new ProfilesRepository(db),
    jobsTable: postgres ? new PostgresJobsTable(db) : new SqliteJobsTable(db),
    announcementDays: new AnnouncementDaysRepository(db),
    ingestRuns: new IngestRunsRepository(db),
    rateGates: new RateGatesRepository(db),
    readers: new ReadersRepository(db),
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
  const generation = target.dialect === 'postgres' ? postgresStoreGeneration(target.url) : sqliteStoreGeneration(() => sqliteGeneration(db));
  return {
    ...storeScope(db, dialect),
    transaction: (work) => db.transaction().execute((tx) => work(storeScope(tx, dialect))),
    generation: () => generation.read(),
    pendingMigrations: () => migrationsPending(db),
    close: async () => {
      await generation.close();
      await db.destroy();
    },
  };
}
