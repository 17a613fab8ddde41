import { sql } from 'kysely';
import type { Store } from '../store/store.ts';
import { dialectOf } from '../store/dialect.ts';

/** Another paper of the same researchers, for the paper page: which of its authors it shares. */
export interface SameAuthorPaper {
  id: string;
  title: string;
  /** The mailing day it was first announced on, else its submission day. */
  day: string;
  sharedAuthors: Array<{ id: number; name: string }>;
}

/**
 * The latest `limit` other papers that share at least one author profile with paper `id`, newest
 * first (the profiles' index on author_id makes this a few lookups per author, whatever the store's size).
 */
export async function papersBySameAuthors(store: Store, id: string, limit = 8): Promise<SameAuthorPaper[]> {
  const shared =
    dialectOf(store.db) === 'postgres'
      ? sql`json_agg(json_build_object('id', other.author_id, 'name', other.name))`
      : sql`json_group_array(json_object('id', other.author_id, 'name', other.name))`;
  // PostgreSQL's driver hands json back parsed; SQLite's, as text.
  const rows = await sql<{ id: string; title: string; day: string; shared: string | SameAuthorPaper['sharedAuthors'] }>`
    SELECT p.id, p.title, coalesce(p.first_announced_on, substr(p.published_at, 1, 10)) AS day, ${shared} AS shared
    FROM paper_authors mine
    JOIN paper_authors other ON other.author_id = mine.author_id AND other.paper_id <> mine.paper_id
    JOIN papers p ON p.id = other.paper_id
    WHERE mine.paper_id = ${id}
    GROUP BY p.id, p.title, p.first_announced_on, p.published_at
    ORDER BY day DESC, p.id DESC
    LIMIT ${limit}`.execute(store.db);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, day: r.day, sharedAuthors: typeof r.shared === 'string' ? (JSON.parse(r.shared) as SameAuthorPaper['sharedAuthors']) : r.shared }));
}
