import { sql, type Transaction } from 'kysely';
import type { Db } from '../db.ts';
import type { Database } from '../schema.ts';

/** Papers per indexing transaction: short write locks, and a WAL that checkpoints can keep small. */
export const SEARCH_INDEX_CHUNK = 2000;

type ChunkResult = { inserted: number; last: boolean } | null;

/** Writes the full-text index: FTS5 on SQLite, a tsvector column on PostgreSQL. */
export abstract class SearchIndexRepository {
  constructor(protected readonly db: Db) {}

  /**
   * Adds papers stored (or changed) since the last run to the full-text index: title, abstract, author
   * names in order, and the text of the summary of the latest version (TL;DR, highlights, the four
   * sections). A stage of its own: tokenising costs more than storing, and search can trail an ingest
   * by one step without anyone noticing, while ingest speed decides backfills.
   * Ingest, summaries and author changes only mark rows (triggers of migration 0007; a replaced author
   * list is marked by storeAnnouncedPapers, 0008); marked rows are rewritten whole by rowid, so the
   * index never holds two entries for one paper. The work goes in transactions of SEARCH_INDEX_CHUNK
   * papers in seq order: after a million-paper backfill one transaction would hold the whole index in
   * the WAL (3.6 GB measured by the scale bench) and the write lock for minutes. A stop between
   * chunks leaves the rest marked, and the next run goes on from there.
   */
  async refresh(chunk = SEARCH_INDEX_CHUNK): Promise<number> {
    let indexed = 0;
    for (;;) {
      const done = await this.db.transaction().execute((tx) => this.indexChunk(tx, chunk));
      if (done === null) return indexed;
      indexed += done.inserted;
      if (done.last) return indexed;
    }
  }

  protected abstract indexChunk(tx: Transaction<Database>, chunk: number): Promise<ChunkResult>;
}

export class SqliteSearchIndex extends SearchIndexRepository {
  protected override async indexChunk(tx: Transaction<Database>, chunk: number): Promise<ChunkResult> {
    const marked = await sql<{ seq: number }>`SELECT seq FROM papers WHERE search_indexed = 0 ORDER BY seq LIMIT ${chunk}`.execute(tx);
    if (marked.rows.length === 0) return null;
    const seqs = JSON.stringify(marked.rows.map((r) => r.seq));
    await sql`DELETE FROM papers_fts WHERE rowid IN (SELECT value FROM json_each(${seqs}))`.execute(tx);
    const inserted = await sql`
      INSERT INTO papers_fts (rowid, title, abstract, authors, summary)
      SELECT p.seq, p.title, p.abstract,
        (SELECT group_concat(name, ', ') FROM (SELECT a.name FROM paper_authors a WHERE a.paper_id = p.id ORDER BY a.position)),
        (SELECT s.tldr || ' ' || (SELECT group_concat(h.value, ' ') FROM json_each(s.highlights) h) || ' ' ||
                s.summary || ' ' || s.methodology || ' ' || s.results || ' ' || s.implications
           FROM summaries s WHERE s.paper_id = p.id AND s.version = p.latest_version
           ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
      FROM papers p WHERE p.seq IN (SELECT value FROM json_each(${seqs}))`.execute(tx);
    await sql`UPDATE papers SET search_indexed = 1 WHERE seq IN (SELECT value FROM json_each(${seqs}))`.execute(tx);
    return { inserted: Number(inserted.numAffectedRows ?? 0n), last: marked.rows.length < chunk };
  }
}

export class PostgresSearchIndex extends SearchIndexRepository {
  /**
   * The same step on PostgreSQL: the tsvector column of papers_fts (migrations/postgres/0007) is
   * computed by the server from the text written here. Rows are locked in seq order (SKIP LOCKED) so
   * two workers refreshing at once split the work instead of deadlocking on the same papers.
   */
  protected override async indexChunk(tx: Transaction<Database>, chunk: number): Promise<ChunkResult> {
    const marked = await sql<{ seq: number }>`SELECT seq FROM papers WHERE search_indexed = 0 ORDER BY seq LIMIT ${chunk} FOR UPDATE SKIP LOCKED`.execute(tx);
    const seqs = marked.rows.map((r) => r.seq);
    if (seqs.length === 0) return null;
    await sql`DELETE FROM papers_fts WHERE rowid = ANY(${seqs})`.execute(tx);
    const inserted = await sql`
      INSERT INTO papers_fts (rowid, title, abstract, authors, summary)
      SELECT p.seq, p.title, p.abstract,
        (SELECT string_agg(a.name, ', ' ORDER BY a.position) FROM paper_authors a WHERE a.paper_id = p.id),
        (SELECT s.tldr || ' ' || coalesce((SELECT string_agg(h.value, ' ') FROM jsonb_array_elements_text(s.highlights::jsonb) h(value)), '') || ' ' ||
                s.summary || ' ' || s.methodology || ' ' || s.results || ' ' || s.implications
           FROM summaries s WHERE s.paper_id = p.id AND s.version = p.latest_version
           ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
      FROM papers p WHERE p.seq = ANY(${seqs})`.execute(tx);
    await sql`UPDATE papers SET search_indexed = 1 WHERE seq = ANY(${seqs})`.execute(tx);
    return { inserted: Number(inserted.numAffectedRows ?? 0n), last: seqs.length < chunk };
  }
}
