/**
 * The read model of a researcher profile (/authors/:id and GET /api/v1/authors/:id): who the author
 * is (stable ids or "unverified"), figures with scope and source (author-figures.ts), and their
 * papers newest first, a page at a time.
 */
import { affiliation, type Affiliation } from '../domain/affiliations.ts';
import type { Store } from '../store/store.ts';
import { listedFigures, scoreFigure, sourceFigure, type Figure, type ScoreFigure } from './author-figures.ts';
import { announcementDay } from '../domain/announcement-day.ts';
import { groupBy } from '../domain/collections.ts';
import { loadPaperDetails, type PaperCard } from './cards.ts';

export const PROFILE_PAGE_SIZE = 20;

export interface ProfilePaper {
  id: string;
  version: number;
  title: string;
  primaryCategory: string;
  /** The day shown: first announcement, else first submission (YYYY-MM-DD). */
  date: string;
  links: PaperCard['links'];
  authors: PaperCard['authors'];
  affiliations: Affiliation[];
  abstract: string;
  /** Semantic Scholar's count for this paper, when looked up. */
  citations: number | null;
}

export interface AuthorProfile {
  id: number;
  name: string;
  /** False for a name-only author: no external id links this name to a person (docs/authors.md). */
  verified: boolean;
  ids: { semanticScholar: string | null; openAlex: string | null; orcid: string | null };
  links: { semanticScholar: string | null; openAlex: string | null; orcid: string | null };
  primaryCategory: { value: string; scope: string; source: string };
  affiliations: Affiliation[];
  /** The three headline figures: one source and one scope for all three, so they agree. */
  hIndex: Figure;
  papers: Figure;
  citations: Figure;
  /** The same three figures computed over exactly the papers listed here. */
  listed: { papers: Figure; citations: Figure; hIndex: Figure };
  novelty: ScoreFigure;
  aiScore: ScoreFigure;
  paperList: { total: number; page: number; pageSize: number; pages: number; papers: ProfilePaper[] };
}

async function externalAuthor(store: Store, source: 'semantic_scholar' | 'openalex', id: string | null) {
  return id === null ? null : store.profiles.externalAuthor(source, id);
}

function mostFrequent(categories: string[]): string {
  // Ties go to the category of the newest paper (the list is newest first).
  const counts = new Map<string, number>();
  for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best = categories[0] ?? '';
  for (const c of categories) if ((counts.get(c) ?? 0) > (counts.get(best) ?? 0)) best = c;
  return best;
}

/** Institutions per paper: arXiv's affiliation elements when the paper has any, else OpenAlex's authorships. */
async function paperAffiliations(store: Store, ids: string[]): Promise<Map<string, Affiliation[]>> {
  const out = new Map<string, Affiliation[]>();
  if (ids.length === 0) return out;
  const { arxiv, openAlex } = await store.profiles.affiliationRows(ids);
  const names = (rows: Array<{ paper_id: string; list: string[] }>) => groupBy(rows, (r) => r.paper_id);
  const fromArxiv = names(arxiv.map((r) => ({ paper_id: r.paper_id, list: JSON.parse(r.affiliations) as string[] })));
  const fromOpenAlex = names(openAlex.map((r) => ({ paper_id: r.paper_id, list: (JSON.parse(r.institutions) as Array<{ name: string }>).map((i) => i.name) })));
  for (const id of ids) {
    const arxivNames = (fromArxiv.get(id) ?? []).flatMap((r) => r.list);
    const chosen = arxivNames.length > 0 ? arxivNames : (fromOpenAlex.get(id) ?? []).flatMap((r) => r.list);
    out.set(id, [...new Set(chosen)].map(affiliation));
  }
  return out;
}

export async function getAuthorProfile(store: Store, authorId: number, options: { page?: number; pageSize?: number } = {}): Promise<AuthorProfile | null> {
  const author = await store.profiles.author(authorId);
  if (!author) return null;
  const pageSize = options.pageSize ?? PROFILE_PAGE_SIZE;

  const papers = await store.profiles.papersOf(authorId);
  const dateOf = (p: (typeof papers)[number]) => announcementDay(p.first_announced_on, p.published_at);
  papers.sort((a, b) => dateOf(b).localeCompare(dateOf(a)) || b.id.localeCompare(a.id));

  const [s2, oa] = await Promise.all([externalAuthor(store, 'semantic_scholar', author.semantic_scholar_id), externalAuthor(store, 'openalex', author.openalex_id)]);
  const latest = (values: Array<string | null>) => values.filter((v): v is string => v !== null).sort().at(-1) ?? null;

  // Listed-paper figures from one source only: Semantic Scholar's per-paper counts when it knows any paper, else OpenAlex's.
  const s2Counts = papers.filter((p) => p.s2_citations !== null);
  const useS2 = s2Counts.length > 0 || papers.every((p) => p.oa_citations === null);
  const listed = listedFigures(
    useS2
      ? { listed: papers.length, lookedUp: papers.filter((p) => p.s2_at !== null).length, counts: s2Counts.map((p) => p.s2_citations!), source: 'Semantic Scholar', asOf: latest(papers.map((p) => p.s2_at)) }
      : { listed: papers.length, lookedUp: papers.filter((p) => p.oa_at !== null).length, counts: papers.filter((p) => p.oa_citations !== null).map((p) => p.oa_citations!), source: 'OpenAlex', asOf: latest(papers.map((p) => p.oa_at)) },
  );
  const headline = s2
    ? {
        hIndex: sourceFigure('h-index', s2.h_index, 'Semantic Scholar', 'all publications', s2.fetched_at),
        papers: sourceFigure('papers', s2.paper_count, 'Semantic Scholar', 'all publications', s2.fetched_at),
        citations: sourceFigure('citations', s2.citation_count, 'Semantic Scholar', 'all publications', s2.fetched_at),
      }
    : oa
      ? {
          hIndex: sourceFigure('h-index', oa.h_index, 'OpenAlex', 'all works', oa.fetched_at),
          papers: sourceFigure('papers', oa.paper_count, 'OpenAlex', 'all works', oa.fetched_at),
          citations: sourceFigure('citations', oa.citation_count, 'OpenAlex', 'all works', oa.fetched_at),
        }
      : { hIndex: listed.hIndex, papers: listed.papers, citations: listed.citations };

  const scores = await store.profiles.shownVersionScores(papers.map((p) => p.id));
  // The newest method's row per paper, for the version shown.
  const newest = [...groupBy(scores, (s) => s.paper_id).values()].map((rows) => rows[0]!);
  const novelty = scoreFigure('Novelty %', newest.flatMap((s) => (s.novelty === null ? [] : [{ value: s.novelty, methodVersion: s.method_version }])));
  const aiScore = scoreFigure('AI Score', newest.flatMap((s) => (s.ai_score === null ? [] : [{ value: s.ai_score, methodVersion: s.method_version }])));

  const pages = Math.max(1, Math.ceil(papers.length / pageSize));
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  const shown = papers.slice((page - 1) * pageSize, page * pageSize);
  const [details, affiliations] = await Promise.all([loadPaperDetails(store, shown.map((p) => p.id)), paperAffiliations(store, shown.map((p) => p.id))]);
  const citationsOf = new Map(papers.map((p) => [p.id, p.s2_citations]));
  const dates = new Map(papers.map((p) => [p.id, dateOf(p)]));

  const orcid = author.orcid ?? s2?.orcid ?? oa?.orcid ?? null;
  const ownAffiliations = [...new Set([...(s2 ? (JSON.parse(s2.affiliations) as string[]) : []), ...(oa ? (JSON.parse(oa.affiliations) as string[]) : [])])];
  return {
    id: author.id,
    name: author.name,
    verified: author.semantic_scholar_id !== null || author.openalex_id !== null || author.orcid !== null,
    ids: { semanticScholar: author.semantic_scholar_id, openAlex: author.openalex_id, orcid },
    links: {
      semanticScholar: author.semantic_scholar_id ? `https://www.semanticscholar.org/author/${encodeURIComponent(author.semantic_scholar_id)}` : null,
      openAlex: author.openalex_id ? `https://openalex.org/${encodeURIComponent(author.openalex_id)}` : null,
      orcid: orcid ? `https://orcid.org/${encodeURIComponent(orcid)}` : null,
    },
    primaryCategory: { value: mostFrequent(papers.map((p) => p.primary_category)), scope: `most frequent primary category of the ${papers.length} papers listed`, source: 'arXiv' },
    // Sources spell one institution differently ("…, VNU-HCM" / "… Ho Chi Minh City"): one entry per short name.
    affiliations: [...new Map(ownAffiliations.map(affiliation).map((a) => [a.short, a])).values()],
    ...headline,
    listed,
    novelty,
    aiScore,
    paperList: {
      total: papers.length,
      page,
      pageSize,
      pages,
      papers: details.map((d) => ({
        id: d.id,
        version: d.version,
        title: d.title,
        primaryCategory: d.primaryCategory,
        date: dates.get(d.id)!,
        links: d.links,
        authors: d.authors,
        affiliations: affiliations.get(d.id) ?? [],
        abstract: d.abstract,
        citations: citationsOf.get(d.id) ?? null,
      })),
    },
  };
}
