/**
 * The enrichment stage: looks papers up in Semantic Scholar and OpenAlex, links their authors to
 * stable ids (identity.ts, link-authors.ts), then fetches the linked authors' figures. Answers are
 * stored with their fetch time and reused until the refresh age passes; a service that cannot be
 * reached is left alone for the rest of the run and what is stored keeps being served.
 */
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import type { ProgressFactory } from '../progress.ts';
import type { Store } from '../store/store.ts';
import type { AuthorsRepository } from '../store/repositories/authors.ts';
import type { ExternalSource } from '../store/schema.ts';
import { EnrichmentFormatError, isUnreachable } from './errors.ts';
import { matchAuthorLists } from './identity.ts';
import { linkAppearance } from './link-authors.ts';
import type { OpenAlexWork } from './openalex.ts';
import type { S2Paper } from './semantic-scholar.ts';
import type { EnrichmentSources } from './sources.ts';

export interface EnrichContext {
  config: Config;
  store: Store;
  logger: Logger;
  progress: ProgressFactory;
}

export interface EnrichTotals {
  /** Papers looked up in at least one source in this run. */
  papers: number;
  semanticScholar: { found: number; notFound: number };
  openAlex: { found: number; notFound: number };
  /** Author appearances linked to an external id in this run. */
  linked: number;
  authorsFetched: number;
  /** Services given up on in this run (stored data is kept and shown). */
  unreachable: string[];
}

/** Papers per round: one S2 batch (≤500) and OpenAlex filters of 50. */
const PAPERS_PER_ROUND = 500;
const SOURCES: ExternalSource[] = ['semantic_scholar', 'openalex'];
const SERVICE_NAME: Record<ExternalSource, string> = { semantic_scholar: 'Semantic Scholar', openalex: 'OpenAlex' };

interface DuePaper {
  id: string;
  version: number;
  due: Set<ExternalSource>;
}

async function duePapers(authors: AuthorsRepository, cutoff: string, limit: number | undefined): Promise<DuePaper[]> {
  // A lookup is due when missing, older than the refresh age, or for an older version of the paper.
  const rows = await authors.papersDueForLookup(cutoff, limit);
  return rows.map((r) => ({
    id: r.id,
    version: r.latest_version,
    due: new Set<ExternalSource>([...(r.s2_due ? ['semantic_scholar' as const] : []), ...(r.oa_due ? ['openalex' as const] : [])]),
  }));
}

interface Looked {
  semantic_scholar: Map<string, S2Paper | null> | null;
  openalex: Map<string, OpenAlexWork | null> | null;
}

export async function enrichAuthors(ctx: EnrichContext, sources: EnrichmentSources, options: { limit?: number; now?: Date } = {}): Promise<EnrichTotals> {
  const now = (options.now ?? new Date()).toISOString();
  const cutoff = new Date(Date.parse(now) - ctx.config.enrich.refreshAgeMs).toISOString();
  const totals: EnrichTotals = { papers: 0, semanticScholar: { found: 0, notFound: 0 }, openAlex: { found: 0, notFound: 0 }, linked: 0, authorsFetched: 0, unreachable: [] };
  const down = new Set<ExternalSource>();

  /** Runs one request to a service; on an outage marks it down for this run instead of failing the step. */
  async function attempt<T>(source: ExternalSource, work: () => Promise<T>): Promise<T | null> {
    if (down.has(source)) return null;
    try {
      return await work();
    } catch (error) {
      // A malformed answer is the service's problem too: stop asking it this run rather than store nonsense.
      if (!isUnreachable(error) && !(error instanceof EnrichmentFormatError)) throw error;
      down.add(source);
      totals.unreachable.push(SERVICE_NAME[source]);
      ctx.logger.warn(`${SERVICE_NAME[source]} unavailable; keeping stored data`, { error: (error as Error).message });
      return null;
    }
  }

  const papers = await duePapers(ctx.store.authors, cutoff, options.limit);
  const progress = ctx.progress('enrich authors');
  progress.start(papers.length);
  for (let i = 0; i < papers.length && down.size < SOURCES.length; i += PAPERS_PER_ROUND) {
    const round = papers.slice(i, i + PAPERS_PER_ROUND);
    const idsFor = (source: ExternalSource) => round.filter((p) => p.due.has(source)).map((p) => p.id);
    const s2Ids = idsFor('semantic_scholar');
    const oaIds = idsFor('openalex');
    const looked: Looked = {
      semantic_scholar: s2Ids.length ? await attempt('semantic_scholar', () => sources.semanticScholar.lookupPapers(s2Ids)) : null,
      openalex: oaIds.length ? await attempt('openalex', () => sources.openAlex.lookupWorks(oaIds)) : null,
    };
    totals.linked += await storeRound(ctx.store, round, looked, now, totals);
    progress.advance(round.length);
  }
  progress.stop();
  totals.authorsFetched = await refreshAuthors(ctx.store, sources, cutoff, now, attempt);
  ctx.logger.info('author enrichment finished', { ...totals, unreachable: totals.unreachable.join(', ') });
  return totals;
}

/** Writes one round's answers and links the authors they name, in one transaction. */
async function storeRound(store: Store, round: DuePaper[], looked: Looked, now: string, totals: EnrichTotals): Promise<number> {
  return store.transaction(async ({ authors: tx }) => {
    let linked = 0;
    const names = await tx.authorNamesInOrder(round.map((p) => p.id));
    const namesOf = new Map<string, string[]>();
    for (const row of names) namesOf.set(row.paper_id, [...(namesOf.get(row.paper_id) ?? []), row.name]);

    for (const paper of round) {
      const arxivNames = namesOf.get(paper.id) ?? [];
      const touched: ExternalSource[] = [];
      const s2 = looked.semantic_scholar?.has(paper.id) ? looked.semantic_scholar.get(paper.id)! : undefined;
      if (s2 !== undefined) {
        touched.push('semantic_scholar');
        if (s2) totals.semanticScholar.found += 1;
        else totals.semanticScholar.notFound += 1;
        await saveLookup(tx, paper, 'semantic_scholar', now, s2 ? { id: s2.paperId, citations: s2.citationCount, influential: s2.influentialCitationCount } : null);
        const matches = s2 ? matchAuthorLists(arxivNames, s2.authors.map((a) => ({ id: a.authorId, name: a.name }))) : new Map();
        await tx.replaceMatches(paper.id, 'semantic_scholar', [...matches].map(([position, a]) => ({ position, id: a.id!, name: a.name, orcid: null, institutions: [] })));
      }
      const work = looked.openalex?.has(paper.id) ? looked.openalex.get(paper.id)! : undefined;
      if (work !== undefined) {
        touched.push('openalex');
        if (work) totals.openAlex.found += 1;
        else totals.openAlex.notFound += 1;
        await saveLookup(tx, paper, 'openalex', now, work ? { id: work.id, citations: work.citedByCount, influential: null } : null);
        const matches = work ? matchAuthorLists(arxivNames, work.authorships.map((a) => ({ ...a, id: a.authorId }))) : new Map();
        await tx.replaceMatches(paper.id, 'openalex', [...matches].map(([position, a]) => ({ position, id: a.id!, name: a.name, orcid: a.orcid, institutions: a.institutions })));
      }
      if (touched.length === 0) continue;
      totals.papers += 1;
      linked += await linkPaper(tx, paper.id, now);
    }
    return linked;
  });
}

async function saveLookup(tx: AuthorsRepository, paper: DuePaper, source: ExternalSource, now: string, found: { id: string; citations: number | null; influential: number | null } | null): Promise<void> {
  await tx.saveLookup({
    paper_id: paper.id,
    source,
    version: paper.version,
    status: found ? ('found' as const) : ('not_found' as const),
    external_id: found?.id ?? null,
    citation_count: found?.citations ?? null,
    influential_citation_count: found?.influential ?? null,
    fetched_at: now,
  });
}

/** Joins what both sources say about each position into one id set and links the appearance. */
async function linkPaper(tx: AuthorsRepository, paperId: string, now: string): Promise<number> {
  const rows = await tx.matchesOf(paperId);
  const byPosition = new Map<number, { semanticScholarId: string | null; openAlexId: string | null; orcid: string | null }>();
  for (const row of rows) {
    const ids = byPosition.get(row.position) ?? { semanticScholarId: null, openAlexId: null, orcid: null };
    if (row.source === 'semantic_scholar') ids.semanticScholarId = row.external_author_id;
    else {
      ids.openAlexId = row.external_author_id;
      ids.orcid = row.orcid;
    }
    byPosition.set(row.position, ids);
  }
  let linked = 0;
  for (const [position, ids] of byPosition) if ((await linkAppearance(tx, paperId, position, ids, now)) !== null) linked += 1;
  return linked;
}

/** Fetches the figures of linked authors whose stored record is missing or older than the refresh age. */
async function refreshAuthors(
  store: Store,
  sources: EnrichmentSources,
  cutoff: string,
  now: string,
  attempt: <T>(source: ExternalSource, work: () => Promise<T>) => Promise<T | null>,
): Promise<number> {
  let fetched = 0;
  for (const source of SOURCES) {
    const ids = await store.authors.externalIdsDueForRefresh(source, cutoff);
    if (ids.length === 0) continue;
    const rows = await attempt(source, async () => {
      const found =
        source === 'semantic_scholar'
          ? [...(await sources.semanticScholar.lookupAuthors(ids))].map(([id, a]) => [id, a && { ...a, institutions: a.affiliations, url: a.url }] as const)
          : [...(await sources.openAlex.lookupAuthors(ids))].map(([id, a]) => [id, a && { ...a, paperCount: a.worksCount, citationCount: a.citedByCount, url: `https://openalex.org/${id}` }] as const);
      return found.map(([id, a]) => ({
        external_id: id,
        status: a ? ('found' as const) : ('not_found' as const),
        name: a?.name ?? null,
        h_index: a?.hIndex ?? null,
        paper_count: a?.paperCount ?? null,
        citation_count: a?.citationCount ?? null,
        orcid: a?.orcid ?? null,
        affiliations: JSON.stringify(a?.institutions ?? []),
        url: a?.url ?? null,
      }));
    });
    if (rows === null) continue;
    await store.authors.saveExternalAuthors(source, rows, now);
    fetched += rows.length;
  }
  return fetched;
}
