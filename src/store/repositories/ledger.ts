import { sql, type Insertable } from 'kysely';
import type { Db } from '../db.ts';
import type { LlmCallOutcome, LlmCallsTable } from '../schema.ts';

export const LLM_CALL_OUTCOMES = ['success', 'invalid_json', 'schema_violation', 'unfaithful', 'truncated', 'http_error', 'timeout'] as const satisfies readonly LlmCallOutcome[];

/** Totals of a group of ledger rows: a day (YYYY-MM-DD, UTC), a "provider:model", or all. */
export interface LlmCallTotals {
  key: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  /** Sum of the known cost estimates; null when no call had one. */
  costUsd: number | null;
  outcomes: Record<LlmCallOutcome, number>;
}

/** llm_calls: every request sent to an LLM provider. */
export class LedgerRepository {
  constructor(protected readonly db: Db) {}

  async record(call: Insertable<LlmCallsTable>): Promise<void> {
    await this.db.insertInto('llm_calls').values(call).execute();
  }

  /** Ledger rows of one provider/model/prompt for these papers, newest first. */
  callsOf(writer: { engine: string; model: string; promptVersion: string }, paperIds: readonly string[]): Promise<Array<{ paper_id: string; version: number; outcome: LlmCallOutcome }>> {
    return this.db
      .selectFrom('llm_calls')
      .select(['paper_id', 'version', 'outcome'])
      .where('provider', '=', writer.engine)
      .where('model', '=', writer.model)
      .where('prompt_version', '=', writer.promptVersion)
      .where('paper_id', 'in', [...paperIds])
      .orderBy('id', 'desc')
      .execute();
  }

  /** Totals per day (UTC), per provider:model, or overall (one row, or none on an empty ledger). */
  async totals(by: 'day' | 'model' | 'total'): Promise<LlmCallTotals[]> {
    const key =
      by === 'day' ? sql<string>`substr(created_at, 1, 10)` : by === 'model' ? sql<string>`provider || ':' || model` : sql<string>`'total'`;
    const rows = await this.db
      .selectFrom('llm_calls')
      .select([
        key.as('key'),
        sql<number>`count(*)`.as('calls'),
        sql<number>`coalesce(sum(tokens_in), 0)`.as('tokens_in'),
        sql<number>`coalesce(sum(tokens_out), 0)`.as('tokens_out'),
        sql<number | null>`sum(cost_usd)`.as('cost_usd'),
        ...LLM_CALL_OUTCOMES.map((outcome) => sql<number>`sum(CASE WHEN outcome = ${outcome} THEN 1 ELSE 0 END)`.as(`n_${outcome}`)),
      ])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
    return rows.map((row) => {
      const values = row as unknown as Record<string, number | string | null>;
      return {
        key: String(values.key),
        calls: Number(values.calls),
        tokensIn: Number(values.tokens_in),
        tokensOut: Number(values.tokens_out),
        costUsd: values.cost_usd === null ? null : Number(values.cost_usd),
        outcomes: Object.fromEntries(LLM_CALL_OUTCOMES.map((o) => [o, Number(values[`n_${o}`] ?? 0)])) as Record<LlmCallOutcome, number>,
      };
    });
  }
}
