/**
 * A rate gate shared by every papersift process on one store: arXiv, Semantic Scholar, OpenAlex and the
 * LLM provider count requests per client machine (or per key), not per process, so the spacing, the
 * per-minute budget and the concurrency must hold across processes. The store implements it
 * (src/store/rate-gates.ts); HTTP and LLM clients take a slot before every request, retries included.
 */
export interface RateGateSettings {
  /** The service's name: one gate per name across all processes, e.g. "arxiv", "llm". */
  service: string;
  /** Least time between two request starts, across processes. */
  minIntervalMs: number;
  /** Requests in flight at once, across processes. */
  maxConcurrent: number;
  /** At most `count` request starts in any `windowMs` (the LLM's requests per minute); none when absent. */
  budget?: { count: number; windowMs: number };
  /** A slot that is never released (its process died) is free again after this long. */
  leaseMs: number;
}

export interface RateGateSlot {
  /** The moment (epoch ms) the gate let this request start: the spacing holds between these. */
  startedAt: number;
  /** Ends the request: frees its concurrency slot (the start still counts in the budget window). */
  release(): Promise<void>;
}

export interface RateGateState {
  service: string;
  settings: Omit<RateGateSettings, 'service'>;
  /** How long a request asking now would wait before it may start (0 when it may start at once). */
  waitMs: number;
  /** Requests in flight across processes (unexpired slots). */
  inFlight: number;
  /** Request starts inside the budget window (0 without a budget). */
  startsInWindow: number;
}

export interface RateGate {
  readonly settings: RateGateSettings;
  /** Resolves when this process may start one request; the slot must be released when it ends. */
  acquire(signal?: AbortSignal): Promise<RateGateSlot>;
  /** A Retry-After or 429 seen by one process holds every process off for `ms`. */
  holdFor(ms: number): Promise<void>;
  /** The gate's settings and current wait, for `papersift config` and /metrics. */
  state(): Promise<RateGateState>;
}
