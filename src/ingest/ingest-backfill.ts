import { parseApiFeed } from '../arxiv/api-feed.ts';
import { parseOaiListRecords } from '../arxiv/oai-pmh.ts';
import { ArxivApiError } from '../arxiv/errors.ts';
import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';
import type { ArxivSources } from '../arxiv/sources.ts';
import { apiDateRangeUrl, oaiListRecordsUrl, oaiSetOf } from '../arxiv/urls.ts';
import { inferAnnouncements } from '../arxiv/infer-announcements.ts';
import { addTotals, INGEST_RUN_LEASE_MS, type IngestInput, type IngestRunTotals } from './ingest-runs.ts';

export interface BackfillRequest {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  categories: string[];
  via: 'oai' | 'api';
}

/** The next request to make: OAI-PMH walks one set after another; the API pages by offset. */
type OaiCheckpoint = { setIndex: number; resumptionToken: string | null };
type ApiCheckpoint = { start: number };

function withinRange(record: PaperRecord, request: BackfillRequest): boolean {
  // OAI-PMH selects by datestamp (last change), so a range also returns old papers that changed.
  const day = record.updated.slice(0, 10);
  const first = record.published.slice(0, 10);
  return (day >= request.from && day <= request.to) || (first >= request.from && first <= request.to);
}

function followed(record: PaperRecord, categories: Set<string>): boolean {
  return record.categories.some((c) => categories.has(c));
}

/**
 * Backfills every paper of the categories submitted or replaced between two dates, page by page.
 * Each page commits together with the checkpoint that points past it, so a run killed at any moment
 * resumes at the first page it had not committed and ends with the same rows as an uninterrupted run.
 * A run another live process is doing is not resumed (see IngestRunsRepository.startOrResume).
 */
export async function backfillRange(ctx: IngestInput, sources: ArxivSources, request: BackfillRequest): Promise<IngestRunTotals> {
  const params = { from: request.from, to: request.to, categories: request.categories, via: request.via };
  const source = request.via === 'oai' ? 'oai-pmh' : 'api';
  const run = await ctx.store.ingestRuns.startOrResume<OaiCheckpoint | ApiCheckpoint>(source, params);
  if (run.resumed) ctx.logger.info('resuming interrupted backfill', { run: run.id, checkpoint: run.checkpoint });
  // The lease says this process still runs it (a page can take minutes of arXiv's spacing and retries);
  // each checkpoint renews it too.
  const heartbeat = setInterval(() => {
    ctx.store.ingestRuns.renewLease(run.id, run.token).then(
      (ours) => ours || ctx.logger.warn('backfill run taken over by another process; stopping at the next page', { run: run.id }),
      (error: unknown) => ctx.logger.warn('could not renew the backfill run lease', { run: run.id, error: String(error) }),
    );
  }, INGEST_RUN_LEASE_MS / 4);
  heartbeat.unref();
  const totals = run.totals;
  const categorySet = new Set(request.categories);
  const bar = ctx.progress(`backfill ${request.from}..${request.to} via ${source}`);

  const storePage = async (records: PaperRecord[], deleted: string[], next: unknown) => {
    const announced: AnnouncedPaper[] = records
      .filter((r) => followed(r, categorySet) && withinRange(r, request))
      .flatMap((r) => inferAnnouncements(r, sources.calendar, categorySet));
    await ctx.store.transaction(async (tx) => {
      const counts = await tx.papers.storeAnnounced(announced, source);
      const withdrawn = await tx.papers.markWithdrawn(deleted);
      addTotals(totals, { fetched: records.length, ...counts, updated: counts.updated + withdrawn });
      await tx.ingestRuns.saveCheckpoint(run.id, next, totals, run.token);
    });
    bar.advance(records.length);
  };

  try {
    if (request.via === 'oai') {
      const sets = request.categories.map(oaiSetOf);
      let checkpoint = (run.checkpoint as OaiCheckpoint | null) ?? { setIndex: 0, resumptionToken: null };
      bar.start(0);
      while (checkpoint.setIndex < sets.length) {
        const url = checkpoint.resumptionToken
          ? oaiListRecordsUrl(sources.oaiUrl, { resumptionToken: checkpoint.resumptionToken })
          : oaiListRecordsUrl(sources.oaiUrl, { set: sets[checkpoint.setIndex]!, from: request.from, until: request.to });
        let page;
        try {
          page = parseOaiListRecords((await sources.http.get(url)).body ?? '');
        } catch (error) {
          // Resumption tokens expire; the set is then walked again from its start (storing is idempotent).
          if (error instanceof ArxivApiError && error.code === 'badResumptionToken' && checkpoint.resumptionToken) {
            ctx.logger.warn('resumption token expired; restarting the set', { set: sets[checkpoint.setIndex] });
            checkpoint = { setIndex: checkpoint.setIndex, resumptionToken: null };
            continue;
          }
          throw error;
        }
        if (page.resumptionToken?.completeListSize) bar.setTotal(page.resumptionToken.completeListSize);
        const next: OaiCheckpoint = page.resumptionToken
          ? { setIndex: checkpoint.setIndex, resumptionToken: page.resumptionToken.token }
          : { setIndex: checkpoint.setIndex + 1, resumptionToken: null };
        await storePage(page.records, page.deleted, next);
        checkpoint = next;
      }
    } else {
      let checkpoint = (run.checkpoint as ApiCheckpoint | null) ?? { start: 0 };
      let total: number | null = null;
      while (total === null || checkpoint.start < total) {
        const url = apiDateRangeUrl(sources.apiUrl, { ...request, start: checkpoint.start, pageSize: sources.apiPageSize });
        const page = parseApiFeed((await sources.http.get(url)).body ?? '');
        if (total === null) bar.start(page.totalResults);
        total = page.totalResults;
        // An empty page before the announced total means the API ran dry early: stop rather than loop.
        const next: ApiCheckpoint = { start: page.records.length === 0 ? total : checkpoint.start + page.records.length };
        await storePage(page.records, [], next);
        checkpoint = next;
      }
    }
    bar.stop();
  } catch (error) {
    bar.stop();
    await ctx.store.ingestRuns.finish(run.id, totals, error, run.token);
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
  await ctx.store.ingestRuns.finish(run.id, totals, undefined, run.token);
  return totals;
}
