import type { Store } from '../store/db.ts';
import type { ProgressFactory } from '../progress.ts';
import { noProgress } from '../progress.ts';
import { InsufficientSourceTextError, type PaperSummary, type SummaryEngine } from './engine.ts';

export interface SummarizeTotals {
  summarized: number;
  skipped: number;
  failed: number;
}

const BATCH_SIZE = 200;

/**
 * Summarises every paper whose summary is pending (new papers and new versions). Each paper's status
 * says what really happened: success, skipped (too little text to summarise honestly) or failed.
 * A batch is committed at a time, so an interrupted run resumes where it stopped.
 */
export async function summarizePendingPapers(
  store: Store,
  engine: SummaryEngine,
  options: { limit?: number; progress?: ProgressFactory } = {},
): Promise<SummarizeTotals> {
  const totals: SummarizeTotals = { summarized: 0, skipped: 0, failed: 0 };
  const pendingCount = await store
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('summary_status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const total = Math.min(Number(pendingCount.n), options.limit ?? Infinity);
  const bar = (options.progress ?? noProgress)('summarise');
  bar.start(total);
  let done = 0;
  while (done < total) {
    const papers = await store
      .selectFrom('papers')
      .select(['id', 'latest_version', 'title', 'abstract', 'comment'])
      .where('summary_status', '=', 'pending')
      .orderBy('seq')
      .limit(Math.min(BATCH_SIZE, total - done))
      .execute();
    if (papers.length === 0) break;
    const categoryRows = await store
      .selectFrom('paper_categories')
      .select(['paper_id', 'category'])
      .where('paper_id', 'in', papers.map((p) => p.id))
      .orderBy('position')
      .execute();
    const now = new Date().toISOString();
    // Engines may be slow (LLMs): run them before opening the write transaction.
    const outcomes: Array<{ paper: (typeof papers)[number]; summary: PaperSummary | null; error: unknown }> = [];
    for (const paper of papers) {
      const categories = categoryRows.filter((row) => row.paper_id === paper.id).map((row) => row.category);
      try {
        const summary = await engine.summarize({
          id: paper.id,
          version: paper.latest_version,
          title: paper.title,
          abstract: paper.abstract,
          categories,
          comment: paper.comment,
        });
        outcomes.push({ paper, summary, error: null });
      } catch (error) {
        outcomes.push({ paper, summary: null, error });
      }
    }
    await store.transaction().execute(async (tx) => {
      for (const { paper, summary, error } of outcomes) {
        if (summary) {
          const { engine: engineName, model, promptVersion } = engine.descriptor;
          const values = {
            paper_id: paper.id,
            version: paper.latest_version,
            engine: engineName,
            model,
            prompt_version: promptVersion,
            outcome: 'success' as const,
            tldr: summary.tldr,
            tags: JSON.stringify(summary.tags),
            highlights: JSON.stringify(summary.highlights),
            summary: summary.sections.summary,
            methodology: summary.sections.methodology,
            results: summary.sections.results,
            implications: summary.sections.implications,
            created_at: now,
          };
          const { paper_id: _id, version: _v, engine: _e, model: _m, prompt_version: _p, ...update } = values;
          await tx
            .insertInto('summaries')
            .values(values)
            .onConflict((oc) => oc.columns(['paper_id', 'version', 'engine', 'model', 'prompt_version']).doUpdateSet(update))
            .execute();
          await tx.updateTable('papers').set({ summary_status: 'success', summary_error: null }).where('id', '=', paper.id).execute();
          totals.summarized += 1;
        } else {
          const skipped = error instanceof InsufficientSourceTextError;
          const message = error instanceof Error ? error.message : String(error);
          await tx
            .updateTable('papers')
            .set({ summary_status: skipped ? 'skipped' : 'failed', summary_error: message })
            .where('id', '=', paper.id)
            .execute();
          if (skipped) totals.skipped += 1;
          else totals.failed += 1;
        }
      }
    });
    done += papers.length;
    bar.advance(papers.length);
  }
  bar.stop();
  return totals;
}
