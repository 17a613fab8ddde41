/**
 * Decides when the next request may start: at least `minIntervalMs` after the previous start
 * (start-to-start), and not before a client-wide hold set when a server sent Retry-After.
 *
 * An explicit gap on the monotonic clock rather than p-queue's interval/intervalCap: p-queue counts
 * whole milliseconds of Date.now() and Node timers may fire up to ~1 ms early, so its spacing can come
 * out a hair under the interval; here the check is re-done after every wake-up, so the guarantee is exact.
 * Always real time, even when the client's retry `sleep` is injected: this is the politeness contract.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

export interface StartGate {
  /** Resolves when a request may start now, records that it started, and returns that moment (performance.now()). */
  waitForTurn(): Promise<number>;
  /** Keeps every request from starting for `ms` from now (longer existing holds are kept). */
  holdFor(ms: number): void;
}

export function createStartGate(minIntervalMs: number): StartGate {
  let lastStartAt = Number.NEGATIVE_INFINITY;
  let holdUntil = Number.NEGATIVE_INFINITY;
  return {
    async waitForTurn() {
      // Re-checked after every wake-up: a timer may fire early, and a hold may have been set meanwhile.
      for (;;) {
        const now = performance.now();
        const startAt = Math.max(lastStartAt + minIntervalMs, holdUntil);
        if (now >= startAt) {
          lastStartAt = now;
          return now;
        }
        await delay(Math.ceil(startAt - now));
      }
    },
    holdFor(ms) {
      holdUntil = Math.max(holdUntil, performance.now() + ms);
    },
  };
}
