import { combinedScore } from '../select/select-digest.ts';
import { historyWindow } from '../select/refresh-digests.ts';
import type { Store } from '../store/store.ts';
import { DigestNotFoundError } from './digest-query.ts';
import { SCORING_METHOD } from '../score/details.ts';
import type { PaperScores } from './scores.ts';

export interface DayPaper {
  id: string;
  version: number;
  title: string;
  primaryCategory: string;
  announceType: 'new' | 'cross' | 'replace' | 'replace-cross';
  scores: PaperScores | null;
  /** The selection's combined score; null until scored. */
  combined: number | null;
  /** 1-based rank in the day's digest; null when not selected. */
  digestRank: number | null;
}

/** Rows per page of the day's list: a whole ordinary day fits on one; a backfilled day of tens of thousands stays a page of a few hundred KiB. */
export const DAY_PAGE_SIZE = 500;

export interface DayPapers {
  date: string;
  days: string[];
  /** Papers of the day in all, and how many of them the digest selected. */
  total: number;
  selected: number;
  page: number;
  pageSize: number;
  pages: number;
  /** This page's papers, in the day's order. */
  papers: DayPaper[];
}

/**
 * Every paper announced on a day in the followed categories, best combined score first, with its
 * scores, a page at a time (a page past the last shows the last).
 */
export async function getDayPapers(store: Store, query: { date: string; historyDays: number; categories: string[]; page?: number; pageSize?: number }): Promise<DayPapers> {
  const days = await historyWindow(store, query.historyDays);
  if (!days.includes(query.date)) throw new DigestNotFoundError(query.date, days);
  // Scores joined by their key rather than loaded by a list of ids: a backfilled day holds tens of
  // thousands of papers, past SQLite's limit of bound parameters.
  const rows = await store
    .db.selectFrom('announcements as a')
    .innerJoin('papers as p', 'p.id', 'a.paper_id')
    .leftJoin('digest_entries as d', (join) => join.onRef('d.paper_id', '=', 'p.id').onRef('d.announced_on', '=', 'a.announced_on'))
    .leftJoin('scores as s', (join) => join.onRef('s.paper_id', '=', 'p.id').onRef('s.version', '=', 'p.latest_version').on('s.method_version', '=', SCORING_METHOD))
    .select(['p.id', 'p.latest_version', 'p.title', 'p.primary_category', 'a.announce_type', 'd.rank', 's.novelty', 's.ai_score'])
    .where('a.announced_on', '=', query.date)
    .where((eb) =>
      eb.exists(eb.selectFrom('paper_categories as c').select('c.paper_id').whereRef('c.paper_id', '=', 'p.id').where('c.category', 'in', query.categories)),
    )
    .execute();
  const papers = rows.map((r): DayPaper => {
    const s = r.novelty === null || r.ai_score === null ? null : { novelty: r.novelty, aiScore: r.ai_score };
    return {
      id: r.id,
      version: r.latest_version,
      title: r.title,
      primaryCategory: r.primary_category,
      announceType: r.announce_type,
      scores: s,
      combined: s ? combinedScore(s.novelty, s.aiScore) : null,
      digestRank: r.rank === null ? null : r.rank + 1,
    };
  });
  papers.sort((a, b) => (b.combined ?? -1) - (a.combined ?? -1) || (a.id < b.id ? -1 : 1));
  const pageSize = query.pageSize ?? DAY_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(papers.length / pageSize));
  const page = Math.min(Math.max(1, query.page ?? 1), pages);
  return {
    date: query.date,
    days,
    total: papers.length,
    selected: papers.filter((p) => p.digestRank !== null).length,
    page,
    pageSize,
    pages,
    papers: papers.slice((page - 1) * pageSize, page * pageSize),
  };
}
