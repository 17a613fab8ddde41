import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Rubric } from '../../domain/rubric.ts';
import { inTransaction, type Db } from '../db.ts';
import type { Database, SummaryStatus } from '../schema.ts';

/** Who writes a summary: the cache key of `summaries` besides the paper version. */
export interface SummaryWriter {
  engine: string;
  model: string;
  promptVersion: string;
}

/** A paper the summariser may work on, with the text an engine reads. */
export interface PaperToSummarise {
  seq: number;
  id: string;
  latest_version: number;
  title: string;
  abstract: string;
  comment: string | null;
  summary_status: SummaryStatus;
}

/** What became of one paper version: a stored summary, or the reason there is none. */
export type SummaryOutcomeRecord =
  | {
      kind: 'summary';
      outcome: 'success' | 'fallback';
      writer: SummaryWriter;
      tldr: string;
      tags: readonly string[];
      highlights: readonly string[];
      sections: { summary: string; methodology: string; results: string; implications: string };
      rubric: Rubric | null;
      /** Why the engine fell back (the paper's summary_error). */
      note: string | null;
    }
  | { kind: 'none'; status: 'skipped' | 'failed'; message: string };

export interface PaperVersionKey {
  id: string;
  version: number;
}

/**
 * Which papers a writer must (re)summarise. A summary is cached per (paper, version, engine, model,
 * prompt version), the UNIQUE key of `summaries`, so a paper is due when
 *   - its status is 'pending' (new paper, or ingest saw its text change), or
 *   - its status is 'success' or 'fallback' but no summary of its latest version was written
 *     successfully by this writer (a new version with unchanged text, another model or a new prompt
 *     version; also a fallback, which carries the stand-in engine's descriptor).
 * 'skipped' (too little text) and 'failed' papers wait for new text.
 */
function isDue(writer: SummaryWriter) {
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
              .where('s.engine', '=', writer.engine)
              .where('s.model', '=', writer.model)
              .where('s.prompt_version', '=', writer.promptVersion)
              .where('s.outcome', '=', 'success'),
          ),
        ),
      ]),
    ]);
}

const TO_SUMMARISE = ['p.seq', 'p.id', 'p.latest_version', 'p.title', 'p.abstract', 'p.comment', 'p.summary_status'] as const;

/** summaries, the papers' summary_status, and summary_claims (one worker per paper version). */
export class SummariesRepository {
  constructor(protected readonly db: Db) {}

  /** Makes the paper due for the summary engine again; its stored summary is replaced, not duplicated. */
  async markPending(paperId: string): Promise<void> {
    await this.db.updateTable('papers').set({ summary_status: 'pending', summary_error: null }).where('id', '=', paperId).execute();
  }

  /** Due paper versions (see isDue), oldest stored first. */
  async dueVersions(writer: SummaryWriter, limit: number): Promise<PaperVersionKey[]> {
    const rows = await this.db.selectFrom('papers as p').select(['p.id', 'p.latest_version']).where(isDue(writer)).orderBy('p.seq').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, version: r.latest_version }));
  }

  async countDue(writer: SummaryWriter): Promise<number> {
    const row = await this.db.selectFrom('papers as p').select((eb) => eb.fn.countAll<number>().as('n')).where(isDue(writer)).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The next due papers after `afterSeq`, in seq order (a cursor: papers that stay due are visited once). */
  dueAfter(writer: SummaryWriter, afterSeq: number, limit: number): Promise<PaperToSummarise[]> {
    return this.db.selectFrom('papers as p').select(TO_SUMMARISE).where(isDue(writer)).where('p.seq', '>', afterSeq).orderBy('p.seq').limit(limit).execute();
  }

  /** The paper if it is due for this writer (at whatever version it now has). */
  dueOne(writer: SummaryWriter, id: string): Promise<PaperToSummarise | undefined> {
    return this.db.selectFrom('papers as p').select(TO_SUMMARISE).where('p.id', '=', id).where(isDue(writer)).executeTakeFirst();
  }

  /** True when this exact version is still the latest and still due for this writer. */
  async isDue(writer: SummaryWriter, target: PaperVersionKey): Promise<boolean> {
    const row = await this.db.selectFrom('papers as p').select('p.id').where('p.id', '=', target.id).where('p.latest_version', '=', target.version).where(isDue(writer)).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claims a paper version for `owner` until `leaseUntil`: taken when free, expired (as of `now`) or
   * already this owner's. Returns null when claimed, else the owner holding it.
   */
  async claim(target: PaperVersionKey, owner: string, leaseUntil: string, now: string): Promise<string | null> {
    const claimed = await this.db
      .insertInto('summary_claims')
      .values({ paper_id: target.id, version: target.version, owner, lease_until: leaseUntil })
      .onConflict((oc) =>
        oc
          .columns(['paper_id', 'version'])
          .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), lease_until: eb.ref('excluded.lease_until') }))
          .where((eb) => eb.or([eb('summary_claims.lease_until', '<', now), eb('summary_claims.owner', '=', owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    if (claimed) return null;
    const holder = await this.db.selectFrom('summary_claims').select('owner').where('paper_id', '=', target.id).where('version', '=', target.version).executeTakeFirst();
    return holder?.owner ?? 'another worker';
  }

  async renewClaim(target: PaperVersionKey, owner: string, leaseUntil: string): Promise<void> {
    await this.db
      .updateTable('summary_claims')
      .set({ lease_until: leaseUntil })
      .where('paper_id', '=', target.id)
      .where('version', '=', target.version)
      .where('owner', '=', owner)
      .execute();
  }

  async releaseClaim(target: PaperVersionKey, owner: string): Promise<void> {
    await this.db.deleteFrom('summary_claims').where('paper_id', '=', target.id).where('version', '=', target.version).where('owner', '=', owner).execute();
  }

  /** Stores what became of one paper version and sets the paper's summary status. */
  async record(paper: PaperVersionKey, result: SummaryOutcomeRecord, now: string): Promise<void> {
    if (result.kind === 'none') {
      await this.db.updateTable('papers').set({ summary_status: result.status, summary_error: result.message }).where('id', '=', paper.id).execute();
      return;
    }
    const { writer, outcome } = result;
    const values = {
      paper_id: paper.id,
      version: paper.version,
      engine: writer.engine,
      model: writer.model,
      prompt_version: writer.promptVersion,
      outcome,
      tldr: result.tldr,
      tags: JSON.stringify(result.tags),
      highlights: JSON.stringify(result.highlights),
      summary: result.sections.summary,
      methodology: result.sections.methodology,
      results: result.sections.results,
      implications: result.sections.implications,
      rubric: result.rubric ? JSON.stringify(result.rubric) : null,
      created_at: now,
    };
    const { paper_id: _id, version: _v, engine: _e, model: _m, prompt_version: _p, ...update } = values;
    await this.db
      .insertInto('summaries')
      .values(values)
      .onConflict((oc) => oc.columns(['paper_id', 'version', 'engine', 'model', 'prompt_version']).doUpdateSet(update))
      .execute();
    await this.db
      .updateTable('papers')
      .set({ summary_status: outcome, summary_error: outcome === 'success' ? null : result.note })
      .where('id', '=', paper.id)
      .execute();
  }

  /** Records several outcomes in one transaction (a committed batch). */
  recordAll(outcomes: ReadonlyArray<{ paper: PaperVersionKey; result: SummaryOutcomeRecord }>, now: string): Promise<void> {
    return inTransaction(this.db, async (tx) => {
      const scoped = new SummariesRepository(tx);
      for (const { paper, result } of outcomes) await scoped.record(paper, result, now);
    });
  }

  /** Records a worker's outcome and releases its claim, in one transaction. */
  recordAndRelease(paper: PaperVersionKey, result: SummaryOutcomeRecord, owner: string, now: string): Promise<void> {
    return inTransaction(this.db, async (tx) => {
      const scoped = new SummariesRepository(tx);
      await scoped.record(paper, result, now);
      await scoped.releaseClaim(paper, owner);
    });
  }
}
