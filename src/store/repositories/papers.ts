import type { AnnouncedPaper } from '../../domain/paper.ts';
import { inJsonList } from '../bulk-rows.ts';
import type { Db } from '../db.ts';
import { countPapers, recordAnnouncements, storeAnnouncedPapers, type StoreCounts } from '../papers.ts';
import { markWithdrawn } from '../withdrawn.ts';

/** papers with their versions, categories, author links, code links and announcement rows. */
export class PapersRepository {
  constructor(protected readonly db: Db) {}

  count(): Promise<number> {
    return countPapers(this.db);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('papers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Stores announced papers idempotently (see storeAnnouncedPapers), in the caller's transaction when there is one. */
  storeAnnounced(papers: AnnouncedPaper[], source: string): Promise<StoreCounts> {
    return storeAnnouncedPapers(this.db, papers, source);
  }

  /** Adds announcement rows for papers already stored at the announced version. */
  recordAnnouncements(rows: Parameters<typeof recordAnnouncements>[1]): Promise<void> {
    return recordAnnouncements(this.db, rows);
  }

  /** Marks withdrawn or deleted papers (never deletes them); returns how many changed. */
  markWithdrawn(ids: string[]): Promise<number> {
    return markWithdrawn(this.db, ids);
  }

  /** The stored latest version of each of these papers (absent: not stored). */
  async latestVersions(ids: readonly string[]): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    const unique = [...new Set(ids)];
    // Batches keep the IN list well under SQLite's bound-parameter limit.
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db.selectFrom('papers').select(['id', 'latest_version']).where('id', 'in', unique.slice(i, i + 500)).execute();
      for (const row of rows) versions.set(row.id, row.latest_version);
    }
    return versions;
  }

  /** Each paper's categories, primary first (papers without any are absent). */
  async categoriesOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('paper_categories').select(['paper_id', 'category']).where(inJsonList(this.db, 'paper_id', [...ids])).orderBy('paper_id').orderBy('position').execute();
    for (const row of rows) {
      const list = out.get(row.paper_id);
      if (list) list.push(row.category);
      else out.set(row.paper_id, [row.category]);
    }
    return out;
  }

  /** Title, abstract and first publication year of each of these papers (absent: not stored). */
  async texts(ids: readonly string[]): Promise<Map<string, { title: string; abstract: string; year: number }>> {
    const out = new Map<string, { title: string; abstract: string; year: number }>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db.selectFrom('papers').select(['id', 'title', 'abstract', 'published_at']).where('id', 'in', unique.slice(i, i + 500)).execute();
      for (const row of rows) out.set(row.id, { title: row.title, abstract: row.abstract, year: Number(row.published_at.slice(0, 4)) });
    }
    return out;
  }
}
