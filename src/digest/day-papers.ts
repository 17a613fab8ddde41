import { SCORING_METHOD, selectionScore } from '../domain/scoring.ts';
import type { Store } from '../store/store.ts';
import { DigestNotFoundError } from './digest-query.ts';
import type { PaperScores } from './scores.ts';

export interface DayPaper {
  id: string;
  version: number;
  title: string;
  primaryCategory: string;
  announceType: 'new' | 'cross' | 'replace' | 'replace-cross';
  scores: PaperScores | null;
  /** The selection score the day is ranked by; null until scored. */
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
 * Every paper announced on a day in the followed categories, best selection score first, with its
 * scores, a page at a time (a page past the last shows the last).
 */
export async function getDayPapers(store: Store, query: { date: string; historyDays: number; categories: string[]; page?: number; pageSize?: number }): Promise<DayPapers> {
  const days = await store.digests.historyWindow(query.historyDays);
  if (!days.includes(query.date)) throw new DigestNotFoundError(query.date, days);
  const rows = await store.dayLists.papersOf(query.date, query.categories, SCORING_METHOD);
  const papers = rows.map((r): DayPaper => {
    const s = r.novelty === null || r.ai_score === null ? null : { novelty: r.novelty, aiScore: r.ai_score };
    return {
      id: r.id,
      version: r.latest_version,
      title: r.title,
      primaryCategory: r.primary_category,
      announceType: r.announce_type,
      scores: s,
      combined: s ? selectionScore(s) : null,
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
