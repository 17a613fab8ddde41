import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
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

/**
 * Which papers the engine must (re)summarise. A summary is cached per (paper, version, engine, model,
 * prompt version), the UNIQUE key of `summaries`, so a paper is due when
 *   - its status is 'pending' (new paper, or ingest saw its text change), or
 *   - its status is 'success' or 'fallback' but no summary of its latest version was written
 *     successfully by the current engine descriptor (a new version with unchanged text, another
 *     model or a new prompt version; also a fallback, which carries the stand-in engine's descriptor).
 * 'skipped' (too little text) and 'failed' papers wait for new text. Of the due fallbacks, the ones
 * the engine says it has settled (it answered at this exact version and descriptor, unusably) are
 * left alone, so a rerun pays for nothing it already paid for.
 */
function isDue(engine: SummaryEngine) {
  const { engine: engineName, model, promptVersion } = engine.descriptor;
  return (eb: ExpressionBuilder<Database & { p: Database['papers'] }, 'p'>): Expression<SqlBool> =>
    eb.or([
      eb('p.summary_status', '=', 'pending'),
      eb.and([
        eb('p.summary_status', 'in', ['success', 'fallback']),
        eb.not(
          eb.exists(
            eb
              .selectFrom('summaries as s')
              .select('s.id')
              .whereRef('s.paper_id', '=', 'p.id')
              .whereRef('s.version', '=', 'p.latest_version')
              .where('s.engine', '=', engineName)
              .where('s.model', '=', model)
              .where('s.prompt_version', '=', promptVersion)
              .where('s.outcome', '=', 'success'),
          ),
        ),
      ]),
    ]);
}

/** Stores what the engine made of one paper version (or why it could not) and sets the paper's status. */
async function recordOutcome(
  tx: Db,
  paper: { id: string; version: number },
  result: EngineResult | null,
  error: unknown,
  now: string,
): Promise<keyof SummarizeTotals> {
  if (result) {
    const { summary, outcome, descriptor } = result;
    const values = {
      paper_id: paper.id,
      version: paper.version,
      engine: descriptor.engine,
      model: descriptor.model,
      prompt_version: descriptor.promptVersion,
      outcome,
      tldr: summary.tldr,
      tags: JSON.stringify(summary.tags),
      highlights: JSON.stringify(summary.highlights),
      summary: summary.sections.summary,
      methodology: summary.sections.methodology,
      results: summary.sections.results,
      implications: summary.sections.implications,
      rubric: result.rubric ? JSON.stringify(result.rubric) : null,
      created_at: now,
    };
    const { paper_id: _id, version: _v, engine: _e, model: _m, prompt_version: _p, ...update } = values;
    await tx
      .insertInto('summaries')
      .values(values)
      .onConflict((oc) => oc.columns(['paper_id', 'version', 'engine', 'model', 'prompt_version']).doUpdateSet(update))
      .execute();
    await tx
      .updateTable('papers')
      .set({ summary_status: outcome, summary_error: outcome === 'success' ? null : (result.note ?? null) })
      .where('id', '=', paper.id)
      .execute();
    return outcome === 'success' ? 'summarized' : 'fallback';
  }
  const skipped = error instanceof InsufficientSourceTextError;
  const message = error instanceof Error ? error.message : String(error);
  await tx
    .updateTable('papers')
    .set({ summary_status: skipped ? 'skipped' : 'failed', summary_error: message })
    .where('id', '=', paper.id)
    .execute();
  return skipped ? 'skipped' : 'failed';
}

/** Paper versions that are due (see isDue), oldest stored first: what the scheduler enqueues as summarise jobs. */
export async function duePaperVersions(store: Store, engine: SummaryEngine, limit = 100_000): Promise<Array<{ id: string; version: number }>> {
  const rows = await store.db.selectFrom('papers as p').select(['p.id', 'p.latest_version']).where(isDue(engine)).orderBy('p.seq').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, version: r.latest_version }));
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
  store: Store,
  engine: SummaryEngine,
  target: { id: string; version: number },
  claim: { owner: string; leaseMs: number },
): Promise<VersionOutcome> {
  const paper = await store
    .db.selectFrom('papers as p')
    .select(['p.id', 'p.latest_version', 'p.title', 'p.abstract', 'p.comment', 'p.summary_status'])
    .where('p.id', '=', target.id)
    .where(isDue(engine))
    .executeTakeFirst();
  if (!paper) return 'not-due';
  if (paper.latest_version !== target.version) return 'superseded';
  if (paper.summary_status === 'fallback' && engine.settledFallbacks) {
    const settled = await engine.settledFallbacks([target]);
    if (settled.has(paperVersionKey(target))) return 'not-due';
  }
  const now = new Date();
  const leaseUntil = new Date(now.getTime() + claim.leaseMs).toISOString();
  const claimed = await store
    .db.insertInto('summary_claims')
    .values({ paper_id: target.id, version: target.version, owner: claim.owner, lease_until: leaseUntil })
    .onConflict((oc) =>
      oc
        .columns(['paper_id', 'version'])
        .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), lease_until: eb.ref('excluded.lease_until') }))
        .where((eb) => eb.or([eb('summary_claims.lease_until', '<', now.toISOString()), eb('summary_claims.owner', '=', claim.owner)])),
    )
    .returning('owner')
    .executeTakeFirst();
  if (!claimed) {
    const holder = await store.db.selectFrom('summary_claims').select('owner').where('paper_id', '=', target.id).where('version', '=', target.version).executeTakeFirst();
    throw new ClaimedElsewhereError(target, holder?.owner ?? 'another worker');
  }
  // Asked again under the claim: another worker may have stored this version (and released its
  // claim) between the first look and the claim; its summary is then visible here.
  const stillDue = await store.db.selectFrom('papers as p').select('p.id').where('p.id', '=', target.id).where('p.latest_version', '=', target.version).where(isDue(engine)).executeTakeFirst();
  if (!stillDue) {
    await store.db.deleteFrom('summary_claims').where('paper_id', '=', target.id).where('version', '=', target.version).where('owner', '=', claim.owner).execute();
    return 'not-due';
  }
  const categories = await store.db.selectFrom('paper_categories').select('category').where('paper_id', '=', target.id).orderBy('position').execute();
  // While the engine runs the claim is renewed, so a slow answer (or a queue that re-dispatched the
  // job after its own lease) never lets a second worker pay for the same version; only a dead
  // worker's claim runs out.
  const renew = setInterval(() => {
    void store
      .db.updateTable('summary_claims')
      .set({ lease_until: new Date(Date.now() + claim.leaseMs).toISOString() })
      .where('paper_id', '=', target.id)
      .where('version', '=', target.version)
      .where('owner', '=', claim.owner)
      .execute()
      .catch(() => {});
  }, Math.max(250, Math.floor(claim.leaseMs / 3)));
  let result: EngineResult | null = null;
  let error: unknown = null;
  try {
    result = await runSummaryEngine(engine, {
      id: paper.id,
      version: paper.latest_version,
      title: paper.title,
      abstract: paper.abstract,
      categories: categories.map((c) => c.category),
      comment: paper.comment,
    });
  } catch (caught) {
    error = caught;
  } finally {
    clearInterval(renew);
  }
  return store.db.transaction().execute(async (tx) => {
    const outcome = await recordOutcome(tx, target, result, error, new Date().toISOString());
    await tx.deleteFrom('summary_claims').where('paper_id', '=', target.id).where('version', '=', target.version).where('owner', '=', claim.owner).execute();
    return outcome;
  });
}

/**
 * Summarises every paper that is due (see isDue). Each paper's status says what really happened:
 * success, fallback (a stand-in engine wrote it), skipped (too little text to summarise honestly) or
 * failed. Engines run concurrently within a batch (they limit themselves); a batch is committed at a
 * time, so an interrupted run resumes where it stopped.
 */
export async function summarizePendingPapers(
  store: Store,
  engine: SummaryEngine,
  options: { limit?: number; progress?: ProgressFactory } = {},
): Promise<SummarizeTotals> {
  const totals: SummarizeTotals = { summarized: 0, fallback: 0, skipped: 0, failed: 0 };
  const due = isDue(engine);
  const dueCount = await store
    .db.selectFrom('papers as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(due)
    .executeTakeFirstOrThrow();
  const limit = options.limit ?? Infinity;
  const bar = (options.progress ?? noProgress)('summarise');
  bar.start(Math.min(Number(dueCount.n), limit));
  let done = 0;
  // A cursor over seq: papers that stay due after this run (failed ones, settled fallbacks) are visited once.
  let afterSeq = -1;
  while (done < limit) {
    const candidates = await store
      .db.selectFrom('papers as p')
      .select(['p.seq', 'p.id', 'p.latest_version', 'p.title', 'p.abstract', 'p.comment', 'p.summary_status'])
      .where(due)
      .where('p.seq', '>', afterSeq)
      .orderBy('p.seq')
      .limit(BATCH_SIZE)
      .execute();
    if (candidates.length === 0) break;
    afterSeq = candidates.at(-1)!.seq;
    const fallbacks = candidates.filter((p) => p.summary_status === 'fallback').map((p) => ({ id: p.id, version: p.latest_version }));
    const settled = engine.settledFallbacks && fallbacks.length > 0 ? await engine.settledFallbacks(fallbacks) : new Set<string>();
    const unsettled = candidates.filter((p) => !(p.summary_status === 'fallback' && settled.has(paperVersionKey({ id: p.id, version: p.latest_version }))));
    bar.advance(candidates.length - unsettled.length);
    const papers = unsettled.slice(0, Math.max(0, limit - done));
    if (papers.length === 0) continue;
    const categoryRows = await store
      .db.selectFrom('paper_categories')
      .select(['paper_id', 'category'])
      .where('paper_id', 'in', papers.map((p) => p.id))
      .orderBy('position')
      .execute();
    // Engines may be slow (LLMs): run them before opening the write transaction.
    const outcomes = await Promise.all(
      papers.map(async (paper): Promise<{ paper: (typeof papers)[number]; result: EngineResult | null; error: unknown }> => {
        const categories = categoryRows.filter((row) => row.paper_id === paper.id).map((row) => row.category);
        try {
          const result = await runSummaryEngine(engine, {
            id: paper.id,
            version: paper.latest_version,
            title: paper.title,
            abstract: paper.abstract,
            categories,
            comment: paper.comment,
          });
          return { paper, result, error: null };
        } catch (error) {
          return { paper, result: null, error };
        }
      }),
    );
    const now = new Date().toISOString();
    await store.db.transaction().execute(async (tx) => {
      for (const { paper, result, error } of outcomes) totals[await recordOutcome(tx, { id: paper.id, version: paper.latest_version }, result, error, now)] += 1;
    });
    done += papers.length;
    bar.advance(papers.length);
  }
  bar.stop();
  return totals;
}
