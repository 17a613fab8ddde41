import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { RateGate, RateGateSettings, RateGateSlot, RateGateState } from '../domain/rate-gate.ts';
import { dialectOf } from './dialect.ts';
import type { Database } from './schema.ts';

/**
 * Rate gates kept in the store, so that every papersift process on it (serve, workers, command-line
 * runs) shares one spacing, one budget and one concurrency per service. Each turn is one short
 * transaction that takes the service's row first (SQLite: the write lock, taken by the first write;
 * PostgreSQL: the row lock), so two processes never both see a free turn. A process that may not start
 * yet commits at once and sleeps until the earliest moment it could, then asks again: no lock is held
 * while waiting. A slot a dead process never released is free once its lease has run out.
 *
 * Times are the processes' wall clocks in epoch milliseconds: the processes sharing a store share a
 * machine (SQLite) or, on PostgreSQL, should share a synchronised clock; a skew of a few ms shifts the
 * spacing by as much.
 */

/** Longest single sleep while the gate is full of slots whose end we cannot know (released early, usually). */
const SLOT_POLL_MS = 25;

interface Turn {
  /** When this process may start (<= now: it has started and holds `slotId`). */
  startAt: number;
  slotId: string | null;
}

export function openRateGate(db: Kysely<Database>, settings: RateGateSettings, clock: () => number = Date.now): RateGate {
  validate(settings);
  const { service } = settings;
  const lockRows = dialectOf(db) === 'postgres';
  const windowMs = settings.budget?.windowMs ?? 0;

  /** Takes the service's row for the rest of the transaction (creating it on first use). */
  async function lockGate(trx: Transaction<Database>) {
    await trx.insertInto('rate_gates').values({ service, next_start_ms: 0, hold_until_ms: 0 }).onConflict((oc) => oc.column('service').doNothing()).execute();
    let query = trx.selectFrom('rate_gates').select(['next_start_ms', 'hold_until_ms']).where('service', '=', service);
    if (lockRows) query = query.forUpdate();
    // SQLite: the insert above already took the database's write lock, held to commit.
    return query.executeTakeFirstOrThrow();
  }

  /** What the gate looks like now: the earliest start and why, after dropping slots that no longer count. */
  async function look(trx: Transaction<Database>, now: number) {
    const gate = await lockGate(trx);
    // A slot matters while in flight (lease not over) or while its start is inside the budget window.
    await trx.deleteFrom('rate_gate_slots').where('service', '=', service).where('lease_until_ms', '<=', now).where('started_ms', '<=', now - windowMs).execute();
    // Counted in SQL, not read out: a budget of thousands per minute keeps thousands of starts in the
    // window, and reading them all on every turn made a turn cost grow with the budget (measured: 7 ms
    // after 250 starts, 21 ms on average over 2,000, SQLite).
    const flight = await trx
      .selectFrom('rate_gate_slots')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('lease_until_ms').as('firstExpiry')])
      .where('service', '=', service)
      .where('lease_until_ms', '>', now)
      .executeTakeFirstOrThrow();
    const inFlight = Number(flight.n);
    let startAt = Math.max(now, gate.next_start_ms, gate.hold_until_ms);
    const full = inFlight >= settings.maxConcurrent;
    if (full) {
      // Full: a slot frees when released (any moment) or when its lease runs out.
      startAt = Math.max(startAt, Math.min(Number(flight.firstExpiry), now + SLOT_POLL_MS));
    }
    let startsInWindow = 0;
    if (settings.budget) {
      const inWindow = trx.selectFrom('rate_gate_slots').where('service', '=', service).where('started_ms', '>', now - windowMs);
      startsInWindow = Number((await inWindow.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      if (startsInWindow >= settings.budget.count) {
        // The budget-th newest start must leave the window before another may start.
        const edge = await inWindow.select('started_ms').orderBy('started_ms', 'desc').offset(settings.budget.count - 1).limit(1).executeTakeFirstOrThrow();
        startAt = Math.max(startAt, edge.started_ms + windowMs);
      }
    }
    return { startAt, full, inFlight, startsInWindow };
  }

  async function tryStart(): Promise<Turn> {
    return db.transaction().execute(async (trx) => {
      const now = clock();
      const view = await look(trx, now);
      if (view.startAt > now || view.full) return { startAt: Math.max(view.startAt, now + 1), slotId: null };
      const slotId = randomUUID();
      await trx.insertInto('rate_gate_slots').values({ service, slot_id: slotId, started_ms: now, lease_until_ms: now + settings.leaseMs }).execute();
      await trx.updateTable('rate_gates').set({ next_start_ms: now + settings.minIntervalMs }).where('service', '=', service).execute();
      return { startAt: now, slotId };
    });
  }

  return {
    settings,
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const turn = await tryStart();
        if (turn.slotId !== null) {
          const slotId = turn.slotId;
          let released = false;
          const slot: RateGateSlot = {
            startedAt: turn.startAt,
            async release() {
              if (released) return;
              released = true;
              // The start stays counted in the budget window; only the lease (the concurrency) ends.
              await db.updateTable('rate_gate_slots').set({ lease_until_ms: clock() }).where('service', '=', service).where('slot_id', '=', slotId).execute();
            },
          };
          return slot;
        }
        await delay(Math.max(1, turn.startAt - clock()), undefined, signal ? { signal } : undefined).catch((error: unknown) => {
          throw signal?.aborted ? signal.reason : error;
        });
      }
    },
    async holdFor(ms) {
      const until = clock() + ms;
      await db.transaction().execute(async (trx) => {
        const gate = await lockGate(trx);
        if (until > gate.hold_until_ms) await trx.updateTable('rate_gates').set({ hold_until_ms: until }).where('service', '=', service).execute();
      });
    },
    async state(): Promise<RateGateState> {
      return db.transaction().execute(async (trx) => {
        const now = clock();
        const view = await look(trx, now);
        const { service: _name, ...rest } = settings;
        return { service, settings: rest, waitMs: view.startAt - now, inFlight: view.inFlight, startsInWindow: view.startsInWindow };
      });
    },
  };
}

function validate(settings: RateGateSettings): void {
  const { service, minIntervalMs, maxConcurrent, leaseMs, budget } = settings;
  if (service.trim() === '') throw new RangeError('rate gate: service must not be empty');
  if (!(minIntervalMs >= 0) || !Number.isFinite(minIntervalMs)) throw new RangeError(`rate gate ${service}: minIntervalMs must be ≥ 0`);
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`rate gate ${service}: maxConcurrent must be an integer ≥ 1`);
  if (!(leaseMs > 0)) throw new RangeError(`rate gate ${service}: leaseMs must be > 0`);
  if (budget && (!Number.isInteger(budget.count) || budget.count < 1 || !(budget.windowMs > 0))) throw new RangeError(`rate gate ${service}: budget must be ≥ 1 request per window > 0 ms`);
}

/** The rate gates of a store: one per service name, however many processes open it. */
export class RateGatesRepository {
  constructor(protected readonly db: Kysely<Database>) {}

  open(settings: RateGateSettings): RateGate {
    return openRateGate(this.db, settings);
  }

  /** One gate per configured service, keyed as the settings are. */
  openAll<K extends string>(settings: Partial<Record<K, RateGateSettings>>): Partial<Record<K, RateGate>> {
    const gates: Partial<Record<K, RateGate>> = {};
    for (const [key, value] of Object.entries(settings) as Array<[K, RateGateSettings | undefined]>) {
      if (value) gates[key] = openRateGate(this.db, value);
    }
    return gates;
  }
}
