import type { Db } from '../db.ts';
import { inTransaction } from '../db.ts';

/** A paper announced on a day, with its scores of one method (what selection starts from). */
export interface ScoredAnnouncement {
  id: string;
  primary_category: string;
  latest_version: number;
  announce_type: 'new' | 'cross' | 'replace' | 'replace-cross';
  announced_version: number;
  novelty: number | null;
  ai_score: number | null;
  details: string;
}

export interface DigestEntry {
  paperId: string;
  why: string;
}

/** digest_entries, and the announcement days a digest is made for. */
export class DigestsRepository {
  constructor(protected readonly db: Db) {}

  /** The announcement days in the browsable window, newest first. */
  async historyWindow(historyDays: number): Promise<string[]> {
    const rows = await this.db.selectFrom('announcements').select('announced_on').distinct().orderBy('announced_on', 'desc').limit(historyDays).execute();
    return rows.map((r) => r.announced_on);
  }

  /** Papers announced on `day`, not withdrawn, with a summary and a score of `scoringMethod` for their latest version. */
  scoredAnnouncements(day: string, scoringMethod: string): Promise<ScoredAnnouncement[]> {
    return this.db
      .selectFrom('announcements as a')
      .innerJoin('papers as p', 'p.id', 'a.paper_id')
      .innerJoin('scores as sc', (join) => join.onRef('sc.paper_id', '=', 'p.id').onRef('sc.version', '=', 'p.latest_version').on('sc.method_version', '=', scoringMethod))
      .select(['p.id', 'p.primary_category', 'p.latest_version', 'a.announce_type', 'a.version as announced_version', 'sc.novelty', 'sc.ai_score', 'sc.details'])
      .where('a.announced_on', '=', day)
      .where('p.withdrawn', '=', 0)
      .where('p.summary_status', 'in', ['success', 'fallback'])
      .execute();
  }

  /** The raw title and abstract of every stored version of these papers. */
  versionTexts(ids: readonly string[]): Promise<Array<{ paper_id: string; version: number; title_raw: string; abstract_raw: string }>> {
    return this.db.selectFrom('paper_versions').select(['paper_id', 'version', 'title_raw', 'abstract_raw']).where('paper_id', 'in', [...ids]).execute();
  }

  /** Summary tags of these papers, newest summary first (JSON lists, as stored). */
  summaryTags(ids: readonly string[]): Promise<Array<{ paper_id: string; version: number; tags: string }>> {
    return this.db.selectFrom('summaries').select(['paper_id', 'version', 'tags']).where('paper_id', 'in', [...ids]).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  }

  /** Which of these papers a digest of a day before `day` shows. */
  async shownBefore(day: string, ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.selectFrom('digest_entries').select('paper_id').where('announced_on', '<', day).where('paper_id', 'in', [...ids]).execute();
    return new Set(rows.map((r) => r.paper_id));
  }

  /** Replaces a day's digest with `entries`, ranked in order, in one transaction. */
  replaceDay(day: string, entries: readonly DigestEntry[], selectionMethod: string, selectedAt: string): Promise<void> {
    return inTransaction(this.db, async (tx) => {
      await tx.deleteFrom('digest_entries').where('announced_on', '=', day).execute();
      if (entries.length === 0) return;
      await tx
        .insertInto('digest_entries')
        .values(entries.map((e, rank) => ({ announced_on: day, rank, paper_id: e.paperId, why: e.why, method_version: selectionMethod, selected_at: selectedAt })))
        .execute();
    });
  }
}
