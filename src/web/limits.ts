import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { performance } from 'node:perf_hooks';

/**
 * Request bodies: only the MCP endpoint reads one (a JSON-RPC message of a few hundred bytes; the
 * admin actions take their arguments from the path), so anything beyond a few KiB is refused with
 * 413 before it is read into memory.
 */
export const MAX_BODY_BYTES = 16 * 1024;

/** Answers a refused request in the format of its route (JSON error or HTML page); app.tsx provides it. */
export type Refuse = (c: Context, status: 413 | 429 | 503, message: string) => Response | Promise<Response>;

export function requestBodyLimit(refuse: Refuse): MiddlewareHandler {
  return bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => refuse(c, 413, `request body too large: at most ${MAX_BODY_BYTES} bytes`) });
}

export interface RateLimitOptions {
  /** Sustained requests per minute per client; 0 turns the limit off. */
  perMinute: number;
  /** Requests a client may make at once before the sustained rate applies. */
  burst: number;
  /** Read the client from the last X-Forwarded-For entry (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most; past it, the full (idle) ones are dropped, so memory stays bounded under a flood of addresses. */
const MAX_BUCKETS = 10_000;

/** The client's address: the socket's peer, or behind a trusted proxy the address it appended. */
function clientKey(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('X-Forwarded-For');
    const last = forwarded?.split(',').map((part) => part.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  // c.env is the node-server bindings ({ incoming }) when served; app.request() in tests has none.
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * A token bucket per client address: `burst` requests at once, refilled at `perMinute`. Over the
 * limit a request is answered 429 with Retry-After (whole seconds until one request is allowed again),
 * before any search or database work is done.
 */
/** A refusal that a later request may not get: Retry-After in whole seconds, and never kept by a cache. */
function refuseForNow(c: Context, refuse: Refuse, status: 429 | 503, retryAfterS: number, message: string) {
  c.header('Retry-After', String(retryAfterS));
  c.header('Cache-Control', 'no-store');
  return refuse(c, status, message);
}

/** The answer to a request whose client has gone: nobody reads it (499, as nginx counts them). */
export const clientGone = (): Response => new Response(null, { status: 499 });

export function rateLimit(options: RateLimitOptions, refuse: Refuse): MiddlewareHandler {
  const now = options.now ?? (() => performance.now());
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(options.burst, bucket.tokens + (at - bucket.at) * perMs);
    bucket.at = at;
  };

  return async (c, next) => {
    if (options.perMinute === 0) return next();
    const at = now();
    const key = clientKey(c, options.trustProxy);
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= MAX_BUCKETS) {
        for (const [other, held] of buckets) {
          refill(held, at);
          if (held.tokens >= options.burst) buckets.delete(other);
        }
      }
      bucket = { tokens: options.burst, at };
      buckets.set(key, bucket);
    } else {
      refill(bucket, at);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retryAfterS = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    return refuseForNow(c, refuse, 429, retryAfterS, `too many requests: at most ${options.perMinute} a minute (bursts of ${options.burst}); retry in ${retryAfterS} s`);
  };
}

export interface ConcurrencyLimitOptions {
  /** Requests run at once; 0 turns the limit off. */
  maxActive: number;
  /** Requests that may wait for a turn, first come first served; past it a request is refused at once. */
  maxQueued: number;
  /**
   * Longest wait for a turn: a request whose wait, predicted from the queue ahead of it and how long
   * recent turns took, would be longer is refused at once; one that waits longer anyway is refused then.
   */
  maxWaitMs: number;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

/**
 * The request's abort signal, which @hono/node-server fires when the client disconnects before the
 * answer is written (c.req.raw is built on first use; only requests that reach a limited route pay for it).
 */
export const requestSignal = (c: Context): AbortSignal => c.req.raw.signal;

/**
 * Runs at most `maxActive` requests of a route at once; the others wait in a FIFO queue of at most
 * `maxQueued`, each for at most `maxWaitMs`, and past either bound are answered 503 with Retry-After.
 * The wait is predicted on arrival (places ahead / maxActive × the recent time of a turn), so the
 * queue is as deep as the bound allows at the current cost of a search: many fast searches may wait,
 * few slow ones (at 1M papers, a fixed queue of 32 meant 4 s waits).
 * Why: under more searches than the server can run, every request otherwise waits behind all the
 * others (measured at 1M papers: 50 connections, p99 10.6 s, against 173 ms one at a time), including
 * the searches of clients that have given up. Here an overload is refused quickly instead of answered
 * after the client gave up, and a request whose client disconnected is dropped: waiting, it leaves
 * the queue; admitted, it stops before its work or between statements (answered 499, which nobody reads).
 */
export function concurrencyLimit(options: ConcurrencyLimitOptions, refuse: Refuse): MiddlewareHandler {
  const now = options.now ?? (() => performance.now());
  let active = 0;
  // How long a turn takes, a moving average of recent turns (0 until one has ended: nothing predicted).
  let turnMs = 0;
  const recordTurn = (ms: number) => {
    turnMs = turnMs === 0 ? ms : 0.7 * turnMs + 0.3 * ms;
  };
  const queue: Array<(admitted: boolean) => void> = [];
  // A finished request hands its turn straight to the first waiter, so `active` counts turns in use.
  const release = () => {
    const next = queue.shift();
    if (next) next(true);
    else active -= 1;
  };
  const waitForTurn = (signal: AbortSignal): Promise<boolean> =>
    new Promise((resolve) => {
      const settle = (admitted: boolean) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', leave);
        resolve(admitted);
      };
      const leave = () => {
        const at = queue.indexOf(settle);
        if (at >= 0) queue.splice(at, 1);
        settle(false);
      };
      const timer = setTimeout(leave, options.maxWaitMs);
      if (signal.aborted) return settle(false);
      signal.addEventListener('abort', leave, { once: true });
      queue.push(settle);
    });
  const busy = (c: Context, why: string) => refuseForNow(c, refuse, 503, 1, `busy: ${why}; retry in 1 s`);

  return async (c, next) => {
    if (options.maxActive === 0) return next();
    const signal = requestSignal(c);
    if (active < options.maxActive) {
      active += 1;
    } else {
      if (queue.length >= options.maxQueued) return busy(c, `${options.maxActive} running and ${options.maxQueued} waiting`);
      const predictedMs = Math.ceil((queue.length + 1) / options.maxActive) * turnMs;
      if (predictedMs > options.maxWaitMs) return busy(c, `about ${Math.round(predictedMs)} ms to wait, more than ${options.maxWaitMs} ms`);
      if (!(await waitForTurn(signal))) {
        if (signal.aborted) return clientGone();
        return busy(c, `no turn within ${options.maxWaitMs} ms`);
      }
    }
    const turnStarted = now();
    let worked = false;
    try {
      // One turn of the event loop before the work: on SQLite a search runs synchronously once started,
      // so requests that arrived meanwhile are read (and queue here, or are refused) only between
      // turns, and a client that left while this request waited is seen now.
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) return clientGone();
      worked = true;
      await next();
    } finally {
      // A turn given back unused would make searches look cheaper than they are.
      if (worked) recordTurn(now() - turnStarted);
      release();
    }
  };
}
