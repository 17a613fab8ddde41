/**
 * The LLM ledger (table llm_calls): every request papersift sends to a provider, with tokens, an
 * estimated cost, latency and what became of it. `papersift stats` reads it; so does a rerun, to tell
 * answered paper versions from ones that only met a network failure.
 */
import type { Store } from '../../store/store.ts';
import { LLM_CALL_OUTCOMES, type LlmCallTotals } from '../../store/repositories/ledger.ts';
import type { LlmCallOutcome } from '../../store/schema.ts';
import { paperVersionKey, type EngineDescriptor, type PaperVersionRef } from '../engine.ts';

export interface LlmCallRecord {
  paperId: string;
  version: number;
  descriptor: EngineDescriptor;
  attempt: number;
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
  latencyMs: number;
  outcome: LlmCallOutcome;
  error: string | null;
}

export async function recordLlmCall(store: Pick<Store, 'ledger'>, call: LlmCallRecord): Promise<void> {
  await store.ledger.record({
      paper_id: call.paperId,
      version: call.version,
      provider: call.descriptor.engine,
      model: call.descriptor.model,
      prompt_version: call.descriptor.promptVersion,
      attempt: call.attempt,
      tokens_in: call.tokensIn,
      tokens_out: call.tokensOut,
      cost_usd: call.costUsd,
      latency_ms: Math.round(call.latencyMs),
      outcome: call.outcome,
      error: call.error === null ? null : call.error.slice(0, 2000),
      created_at: new Date().toISOString(),
  });
}

/** USD estimate of one call; null when a price or a token count is unknown. */
export function estimateCost(
  tokensIn: number | null,
  tokensOut: number | null,
  prices: { inputPerMTok: number | null; outputPerMTok: number | null },
): number | null {
  if (tokensIn === null || tokensOut === null || prices.inputPerMTok === null || prices.outputPerMTok === null) return null;
  return (tokensIn * prices.inputPerMTok + tokensOut * prices.outputPerMTok) / 1_000_000;
}

/** For each paper version, the outcome of the latest ledger row of this descriptor ("<id>v<version>" keys). */
export async function latestCallOutcomes(
  store: Pick<Store, 'ledger'>,
  descriptor: EngineDescriptor,
  papers: readonly PaperVersionRef[],
): Promise<Map<string, LlmCallOutcome>> {
  const latest = new Map<string, LlmCallOutcome>();
  if (papers.length === 0) return latest;
  const wanted = new Set(papers.map(paperVersionKey));
  const rows = await store.ledger.callsOf(descriptor, [...new Set(papers.map((p) => p.id))]);
  for (const row of rows) {
    const key = paperVersionKey({ id: row.paper_id, version: row.version });
    if (wanted.has(key) && !latest.has(key)) latest.set(key, row.outcome);
  }
  return latest;
}

export type LlmStatsRow = LlmCallTotals;

export interface LlmStats {
  byDay: LlmStatsRow[];
  byModel: LlmStatsRow[];
  total: LlmStatsRow;
}

/** Totals of the ledger per day (UTC), per provider:model, and overall. */
export async function llmCallStats(store: Pick<Store, 'ledger'>): Promise<LlmStats> {
  const [byDay, byModel, total] = await Promise.all([store.ledger.totals('day'), store.ledger.totals('model'), store.ledger.totals('total')]);
  const empty: LlmStatsRow = {
    key: 'total',
    calls: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: null,
    outcomes: Object.fromEntries(LLM_CALL_OUTCOMES.map((o) => [o, 0])) as Record<LlmCallOutcome, number>,
  };
  return { byDay, byModel, total: total[0] ?? empty };
}

function table(title: string, heading: string, rows: LlmStatsRow[]): string[] {
  const columns = [heading, 'calls', 'tokens in', 'tokens out', 'cost USD', ...LLM_CALL_OUTCOMES];
  const cells = rows.map((row) => [
    row.key,
    String(row.calls),
    String(row.tokensIn),
    String(row.tokensOut),
    row.costUsd === null ? 'unknown' : row.costUsd.toFixed(4),
    ...LLM_CALL_OUTCOMES.map((o) => String(row.outcomes[o])),
  ]);
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  return [title, line(columns), ...cells.map(line)];
}

/** The human form of the stats: one table per day, one per model, then the total. */
export function formatLlmStats(stats: LlmStats): string {
  if (stats.total.calls === 0) return 'No LLM calls recorded (PAPERSIFT_LLM is empty, or `papersift summarize` has not called a model yet).\n';
  return [
    ...table('LLM calls per day (UTC)', 'day', stats.byDay),
    '',
    ...table('LLM calls per model', 'model', stats.byModel),
    '',
    ...table('All LLM calls', 'total', [stats.total]),
    '',
  ].join('\n');
}
