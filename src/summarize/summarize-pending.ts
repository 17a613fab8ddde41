import type { Store } from '../store/store.ts';
import type { SummaryOutcomeRecord } from '../store/repositories/summaries.ts';
import type { ProgressFactory } from '../progress.ts';
import { noProgress } from '../progress.ts';
import { InsufficientSourceTextError, paperVersionKey, runSummaryEngine, type EngineResult, type SummaryEngine } from './engine.ts';

export interface SummarizeTotals {
  /** Papers summarised by the engine itself (outcome 'success'). */
  summarized: number;
  /** Papers the engine could not summarise itself; a simpler engine's summary is stored as 'fallback'. */
  fallback: number;
  skipped: number;
  failed: number;
}

const BATCH_SIZE = 200;

/** The repositories the summariser reads and writes. */
export type SummaryStore = Pick<Store, 'summaries' | 'papers'>;

/**
 * What is stored for one paper version: the engine's summary, or why there is none ('skipped': too
 * little text to summarise honestly; 'failed': anything else).
 */
function outcomeRecord(result: EngineResult | null, error: unknown): SummaryOutcomeRecord {
  if (result) {
    const { summary, outcome, descriptor } = result;
    return { kind: 'summary', outcome, writer: descriptor, tldr: summary.tldr, tags: summary.tags, highlights: summary.highlights, sections: summary.sections, rubric: result.rubric ?? null, note: result.note ?? null };
  }
  const skipped = error instanceof InsufficientSourceTextError;
  return { kind: 'none', status: skipped ? 'skipped' : 'failed', message: error instanceof Error ? error.message : String(error) };
}

function totalsKey(record: SummaryOutcomeRecord): keyof SummarizeTotals {
  if (record.kind === 'none') return record.status;
  return record.outcome === 'success' ? 'summarized' : 'fallback';
}

/**
 * Paper versions due for this engine (store.summaries says which), oldest stored first: what the
 * scheduler enqueues as summarise jobs.
 */
export async function duePaperVersions(store: SummaryStore, engine: SummaryEngine, limit = 100_000): Promise<Array<{ id: string; version: number }>> {
  return store.summaries.dueVersions(engine.descriptor, limit);
}

export type VersionOutcome = keyof SummarizeTotals | 'not-due' | 'superseded' | 'claimed-elsewhere';

export class ClaimedElsewhereError extends Error {
  constructor(paper: { id: string; version: number }, owner: string) {
    super(`${paper.id}v${paper.version} is being summarised by ${owner}`);
    this.name = 'ClaimedElsewhereError';
  }
}

/**
 * Summarises one paper version, as a worker's job does: nothing if a newer version replaced it or it
 * is no longer due; otherwise the version is claimed (summary_claims, with a lease) before the engine
 * runs, so two workers never pay an LLM for the same version. A live claim of another worker throws
 * ClaimedElsewhereError (the queue retries later: that worker may die). The claim is released in the
 * transaction that stores the outcome; it is renewed while the engine runs, so only a killed
 * worker's claim expires (after `leaseMs`).
 */
export async function summarizePaperVersion(
  store: SummaryStore,
  engine: SummaryEngine,
  target: { id: string; version: number },
  claim: { owner: string; leaseMs: number },
): Promise<VersionOutcome> {
  const paper = await store.summaries.dueOne(engine.descriptor, target.id);
  if (!paper) return 'not-due';
  if (paper.latest_version !== target.version) return 'superseded';
  if (paper.summary_status === 'fallback' && engine.settledFallbacks) {
    const settled = await engine.settledFallbacks([target]);
    if (settled.has(paperVersionKey(target))) return 'not-due';
  }
  const now = new Date();
  const holder = await store.summaries.claim(target, claim.owner, new Date(now.getTime() + claim.leaseMs).toISOString(), now.toISOString());
  if (holder !== null) throw new ClaimedElsewhereError(target, holder);
  // Asked again under the claim: another worker may have stored this version (and released its
  // claim) between the first look and the claim; its summary is then visible here.
  if (!(await store.summaries.isDue(engine.descriptor, target))) {
    await store.summaries.releaseClaim(target, claim.owner);
    return 'not-due';
  }
  const categories = (await store.papers.categoriesOf([target.id])).get(target.id) ?? [];
  // While the engine runs the claim is renewed, so a slow answer (or a queue that re-dispatched the
  // job after its own lease) never lets a second worker pay for the same version; only a dead
  // worker's claim runs out.
  const renew = setInterval(() => {
    void store.summaries.renewClaim(target, claim.owner, new Date(Date.now() + claim.leaseMs).toISOString()).catch(() => {});
  }, Math.max(250, Math.floor(claim.leaseMs / 3)));
  let result: EngineResult | null = null;
  let error: unknown = null;
  try {
    result = await runSummaryEngine(engine, {
      id: paper.id,
      version: paper.latest_version,
      title: paper.title,
      abstract: paper.abstract,
      categories,
      comment: paper.comment,
    });
  } catch (caught) {
    error = caught;
  } finally {
    clearInterval(renew);
  }
  const record = outcomeRecord(result, error);
  // The claim is released in the transaction that stores the outcome.
  await store.summaries.recordAndRelease(target, record, claim.owner, new Date().toISOString());
  return totalsKey(record);
}

/**
 * Summarises every paper that is due (store.summaries says which). Of the due fallbacks, the ones the
 * engine says it has settled (it answered at this exact version and descriptor, unusably) are left
 * alone, so a rerun pays for nothing it already paid for. Each paper's status says what really happened:
 * success, fallback (a stand-in engine wrote it), skipped (too little text to summarise honestly) or
 * failed. Engines run concurrently within a batch (they limit themselves); a batch is committed at a
 * time, so an interrupted run resumes where it stopped.
 */
export async function summarizePendingPapers(
  store: SummaryStore,
  engine: SummaryEngine,
  options: { limit?: number; progress?: ProgressFactory } = {},
): Promise<SummarizeTotals> {
  const totals: SummarizeTotals = { summarized: 0, fallback: 0, skipped: 0, failed: 0 };
  const writer = engine.descriptor;
  const limit = options.limit ?? Infinity;
  const bar = (options.progress ?? noProgress)('summarise');
  bar.start(Math.min(await store.summaries.countDue(writer), limit));
  let done = 0;
  // A cursor over seq: papers that stay due after this run (failed ones, settled fallbacks) are visited once.
  let afterSeq = -1;
  while (done < limit) {
    const candidates = await store.summaries.dueAfter(writer, afterSeq, BATCH_SIZE);
    if (candidates.length === 0) break;
    afterSeq = candidates.at(-1)!.seq;
    const fallbacks = candidates.filter((p) => p.summary_status === 'fallback').map((p) => ({ id: p.id, version: p.latest_version }));
    const settled = engine.settledFallbacks && fallbacks.length > 0 ? await engine.settledFallbacks(fallbacks) : new Set<string>();
    const unsettled = candidates.filter((p) => !(p.summary_status === 'fallback' && settled.has(paperVersionKey({ id: p.id, version: p.latest_version }))));
    bar.advance(candidates.length - unsettled.length);
    const papers = unsettled.slice(0, Math.max(0, limit - done));
    if (papers.length === 0) continue;
    const categoriesOf = await store.papers.categoriesOf(papers.map((p) => p.id));
    // Engines may be slow (LLMs): run them before opening the write transaction.
    const outcomes = await Promise.all(
      papers.map(async (paper) => {
        let result: EngineResult | null = null;
        let error: unknown = null;
        try {
          result = await runSummaryEngine(engine, {
            id: paper.id,
            version: paper.latest_version,
            title: paper.title,
            abstract: paper.abstract,
            categories: categoriesOf.get(paper.id) ?? [],
            comment: paper.comment,
          });
        } catch (caught) {
          error = caught;
        }
        return { paper: { id: paper.id, version: paper.latest_version }, result: outcomeRecord(result, error) };
      }),
    );
    await store.summaries.recordAll(outcomes, new Date().toISOString());
    for (const { result } of outcomes) totals[totalsKey(result)] += 1;
    done += papers.length;
    bar.advance(papers.length);
  }
  bar.stop();
  return totals;
}
