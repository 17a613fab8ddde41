import type { DatabaseTarget } from '../config/config.ts';
import { migrationsPending, sqliteGeneration, type Db } from './db.ts';
import type { Dialect } from './dialect.ts';
import { postgresStoreGeneration, sqliteStoreGeneration } from './generation.ts';
import { CardsRepository } from './repositories/cards.ts';
import { DayListsRepository } from './repositories/day-lists.ts';
import { LedgerRepository } from './repositories/ledger.ts';
import { PapersRepository } from './repositories/papers.ts';
import { ProfilesRepository } from './repositories/profiles.ts';
import { SearchRepository } from './repositories/search.ts';
import { PostgresSearch } from './repositories/search-postgres.ts';
import { SqliteSearch } from './repositories/search-sqlite.ts';
import { SummariesRepository } from './repositories/summaries.ts';

/**
 * INTERIM shape (the store boundary's "Store skeleton" had not landed when the read side needed it):
 * the Kysely handle with the read side's repositories attached, so the stages, which still take the
 * handle, keep working. Merging the store boundary replaces this file with its `openStore`, and these
 * repositories join its list.
 */
export interface ReadRepositories {
  papers: PapersRepository;
  summaries: SummariesRepository;
  ledger: LedgerRepository;
  /** The rows paper cards are built from. */
  cards: CardsRepository;
  /** What one announcement day's pages list. */
  dayLists: DayListsRepository;
  /** Researcher profiles and papers by the same authors. */
  profiles: ProfilesRepository;
  /** Full-text search (FTS5 or tsvector). */
  search: SearchRepository;
}

export type Store = Db &
  ReadRepositories & {
    readonly dialect: Dialect;
    /** The Kysely handle: only src/store and tests use it. */
    readonly db: Db;
    /** Changes whenever a commit may have changed what pages show (src/store/generation.ts). */
    generation(): Promise<string>;
    /** Migrations this build knows that the database has not applied. */
    pendingMigrations(): Promise<string[]>;
    close(): Promise<void>;
  };

/** Attaches the repositories to an open handle; its destroy() also closes what they opened. */
export function withRepositories(db: Db, target: DatabaseTarget): Store {
  const postgres = target.dialect === 'postgres';
  const generation = postgres ? postgresStoreGeneration(target.url) : sqliteStoreGeneration(() => sqliteGeneration(db));
  const destroy = db.destroy.bind(db);
  const close = async () => {
    await generation.close();
    await destroy();
  };
  const extra: Omit<Store, keyof Db> = {
    dialect: target.dialect,
    db,
    papers: new PapersRepository(db),
    summaries: new SummariesRepository(db),
    ledger: new LedgerRepository(db),
    cards: new CardsRepository(db),
    dayLists: new DayListsRepository(db),
    profiles: new ProfilesRepository(db),
    search: postgres ? new PostgresSearch(db) : new SqliteSearch(db),
    generation: () => generation.read(),
    pendingMigrations: () => migrationsPending(db),
    close,
  };
  return Object.assign(db, extra, { destroy: close });
}
