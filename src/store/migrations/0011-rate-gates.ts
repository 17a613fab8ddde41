import { sql, type Kysely } from 'kysely';

/**
 * Rate gates shared by every process on the store (src/store/rate-gates.ts): per service, the earliest
 * next start and a hold that a Retry-After sets; per request, a slot with a lease (in flight until
 * released or expired) whose start also counts in the per-minute budget. Times are epoch milliseconds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE rate_gates (
    service TEXT PRIMARY KEY,
    next_start_ms BIGINT NOT NULL,
    hold_until_ms BIGINT NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE rate_gate_slots (
    service TEXT NOT NULL,
    slot_id TEXT NOT NULL,
    started_ms BIGINT NOT NULL,
    lease_until_ms BIGINT NOT NULL,
    PRIMARY KEY (service, slot_id)
  )`.execute(db);
}
