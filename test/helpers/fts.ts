import { sql } from 'kysely';
import type { Store } from '../../src/store/store.ts';
import { dialectOf } from '../../src/store/dialect.ts';

/** The tsvector weight each indexed column carries on PostgreSQL (migrations/postgres/0007). */
const WEIGHTS = { title: 'A', authors: 'B', summary: 'C', abstract: 'D' } as const;

/** Ids of papers whose indexed text (or one column of it) holds `word`, asked of the index directly. */
export async function idsMatchingInIndex(store: Store, word: string, column?: keyof typeof WEIGHTS): Promise<string[]> {
  if (dialectOf(store.db) === 'postgres') {
    const query = `${word.replace(/[^\p{L}\p{N}]/gu, '')}${column ? `:${WEIGHTS[column]}` : ''}`;
    const rows = await sql<{ id: string }>`SELECT p.id FROM papers_fts f JOIN papers p ON p.seq = f.rowid
      WHERE f.document @@ to_tsquery('english', ${query})`.execute(store.db);
    return rows.rows.map((r) => r.id);
  }
  const match = column ? `${column}:"${word}"` : `"${word}"`;
  const rows = await sql<{ id: string }>`SELECT p.id FROM papers_fts f JOIN papers p ON p.seq = f.rowid WHERE papers_fts MATCH ${match}`.execute(store.db);
  return rows.rows.map((r) => r.id);
}
