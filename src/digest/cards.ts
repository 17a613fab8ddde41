import { groupBy } from '../domain/collections.ts';
import { arxivLinks } from '../domain/paper.ts';
import type { ScoreDetails } from '../domain/scoring.ts';
import type { Store } from '../store/store.ts';
import { isTag, type Tag } from '../domain/taxonomy.ts';
import { loadScores, type PaperScores } from './scores.ts';

/** What a reader (page or API client) sees of one paper. */
export interface PaperCard {
  id: string;
  version: number;
  title: string;
  /** In list order; `id` is the author's profile (/authors/:id). */
  authors: Array<{ id: number; name: string }>;
  primaryCategory: string;
  categories: string[];
  published: string;
  updated: string;
  links: { abs: string; pdf: string; code?: string };
  tags: Tag[];
  highlights: string[];
  sections: { summary: string; methodology: string; results: string; implications: string };
  summarySource: { engine: string; model: string; promptVersion: string; createdAt: string; outcome: 'success' | 'fallback' } | null;
  /** Novelty % and AI Score of the shown version (see /about/scores); null until scored. */
  scores: PaperScores | null;
  /** Why the digest selected this paper; null outside a digest. */
  why: string | null;
}

export interface PaperDetail extends PaperCard {
  abstract: string;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  summaryStatus: string;
  versions: Array<{ version: number; submitted: string }>;
  announcedOn: string | null;
  /** What the scores were computed from: signals or rubric, and the closest prior papers. */
  scoreDetails: ScoreDetails | null;
}

/** Loads full cards for the given ids in a few bulk queries, keeping the order of `ids`. */
export async function loadPaperDetails(store: Store, ids: string[]): Promise<PaperDetail[]> {
  if (ids.length === 0) return [];
  const { papers, authors, categories, codeLinks, summaries, versions } = await store.cards.rowsFor(ids);
  const authorsOf = groupBy(authors, (r) => r.paper_id);
  const categoriesOf = groupBy(categories, (r) => r.paper_id);
  const codeOf = groupBy(codeLinks, (r) => r.paper_id);
  const summariesOf = groupBy(summaries, (r) => r.paper_id);
  const versionsOf = groupBy(versions, (r) => r.paper_id);
  const byId = new Map(papers.map((p) => [p.id, p]));
  const scoresOf = await loadScores(store, papers.map((p) => ({ id: p.id, version: p.latest_version })));
  const details: PaperDetail[] = [];
  for (const id of ids) {
    const paper = byId.get(id);
    if (!paper) continue;
    // A summary counts only for the version shown: a new version makes the old summary stale.
    const summary = (summariesOf.get(id) ?? []).find((s) => s.version === paper.latest_version) ?? null;
    const code = codeOf.get(id)?.find((l) => l.found_in === 'comment') ?? codeOf.get(id)?.[0];
    details.push({
      id,
      version: paper.latest_version,
      title: paper.title,
      authors: (authorsOf.get(id) ?? []).map((a) => ({ id: a.author_id, name: a.name })),
      primaryCategory: paper.primary_category,
      categories: (categoriesOf.get(id) ?? []).map((c) => c.category),
      published: paper.published_at,
      updated: paper.updated_at,
      links: { ...arxivLinks(id), ...(code ? { code: code.url } : {}) },
      tags: summary ? (JSON.parse(summary.tags) as string[]).filter(isTag) : [],
      highlights: summary ? (JSON.parse(summary.highlights) as string[]) : [],
      sections: {
        summary: summary?.summary ?? '',
        methodology: summary?.methodology ?? '',
        results: summary?.results ?? '',
        implications: summary?.implications ?? '',
      },
      summarySource: summary
        ? { engine: summary.engine, model: summary.model, promptVersion: summary.prompt_version, createdAt: summary.created_at, outcome: summary.outcome }
        : null,
      scores: scoresOf.get(id)?.scores ?? null,
      why: null,
      abstract: paper.abstract,
      comment: paper.comment,
      journalRef: paper.journal_ref,
      doi: paper.doi,
      summaryStatus: paper.summary_status,
      versions: (versionsOf.get(id) ?? []).map((v) => ({ version: v.version, submitted: v.submitted_at })),
      announcedOn: paper.first_announced_on,
      scoreDetails: scoresOf.get(id)?.details ?? null,
    });
  }
  return details;
}

export function toCard(detail: PaperDetail): PaperCard {
  const { abstract: _a, comment: _c, journalRef: _j, doi: _d, summaryStatus: _s, versions: _v, announcedOn: _o, scoreDetails: _x, ...card } = detail;
  return card;
}
