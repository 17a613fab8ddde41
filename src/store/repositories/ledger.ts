import { sql } from 'kysely';
import type { Db } from '../db.ts';

export class LedgerRepository {
  constructor(protected readonly db: Db) {}

  /** Requests, tokens and estimated cost recorded, all time (unknown prices count 0). */
  async totals(): Promise<{ calls: number; tokensIn: number; tokensOut: number; costUsd: number }> {
    const row = (
      await sql<{ calls: number; tokens_in: number; tokens_out: number; cost: number }>`
        SELECT count(*) AS calls, coalesce(sum(tokens_in), 0) AS tokens_in, coalesce(sum(tokens_out), 0) AS tokens_out, coalesce(sum(cost_usd), 0) AS cost
        FROM llm_calls`.execute(this.db)
    ).rows[0]!;
    return { calls: Number(row.calls), tokensIn: Number(row.tokens_in), tokensOut: Number(row.tokens_out), costUsd: Number(row.cost) };
  }
}
