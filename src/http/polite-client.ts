/**
 * An HTTP GET client that is polite to one remote service: requests start at least `minIntervalMs`
 * apart, at most `maxConcurrent` are in flight, in FIFO order, and transient failures are retried with
 * backoff (or exactly as long as Retry-After says). Retries are requests like any other: they go to the
 * back of the same queue and respect the same spacing. Share one instance per service (e.g. one for
 * every arXiv endpoint), since the service's limits are per client, not per endpoint.
 *
 * The retry loop is ours, on top of ky with `retry: 0` (see exchange.ts): ky's retries happen inside
 * one ky call, so they would bypass the shared queue and spacing; they only cover fetch(), not a body
 * cut short while reading; its `maxRetryAfter` just stops retrying without reporting the wait the server
 * asked for; and its timeout ends once the headers arrive.
 */
import PQueue from 'p-queue';
import { setTimeout as delay } from 'node:timers/promises';
import type { RateGate } from '../domain/rate-gate.ts';
import { HttpError, HttpStatusError, HttpTimeoutError, NetworkError, RateLimitedError } from './errors.ts';
import { exchange, type ExchangeOutcome, type RequestBody } from './exchange.ts';
import { redactUrl } from './redact-url.ts';
import { backoffDelayMs, isRateLimitStatus, isRetryableStatus, parseRetryAfterMs } from './retry-policy.ts';
import { createStartGate } from './start-gate.ts';
import type { ValidatorCache, Validators } from './validator-cache.ts';

export { createMemoryValidatorCache, type ValidatorCache, type Validators } from './validator-cache.ts';

/** Longest Retry-After we are willing to sit out; beyond it we fail at once with RateLimitedError. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

export interface PoliteClientOptions {
  /** Names the client in events, e.g. "arxiv". */
  name: string;
  /** Minimum time between the starts of two requests (retries included). */
  minIntervalMs: number;
  /** Requests in flight at once; default 1. */
  maxConcurrent?: number;
  /** Limit for one whole exchange: connection, headers and the complete body. */
  timeoutMs: number;
  /** Retries after the first attempt, so at most maxRetries + 1 requests per call. */
  maxRetries: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Sent as User-Agent; services such as arXiv ask for one that identifies the client. */
  userAgent: string;
  /** Longest Retry-After honoured; default 10 minutes. */
  maxRetryAfterMs?: number;
  /** When given, requests are conditional (If-None-Match / If-Modified-Since) and 304s come back as such. */
  validators?: ValidatorCache;
  /** Waits before a retry; injectable for tests. The start spacing always uses the real clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
  onEvent?: (event: ClientEvent) => void;
  /**
   * The service's gate shared with every other process on the store: each request (retries included)
   * takes a slot in it after this process's own spacing, and a Retry-After or 429 holds it for all.
   */
  sharedGate?: RateGate;
}

export interface ClientEvent {
  type: 'request' | 'retry' | 'response' | 'give-up';
  /** The client's `name`. */
  client: string;
  /** Redacted, safe to log. */
  url: string;
  /** 1 for the first request of a call, 2 for the first retry... */
  attempt: number;
  status?: number;
  /** For 'retry': how long we wait before queueing the retry. For 'give-up' on a too-long Retry-After: what the server asked. */
  waitMs?: number;
  /** For 'retry' and 'give-up': what went wrong, e.g. "HTTP 503", "timeout", "network error (...)". */
  reason?: string;
}

export interface FetchResult {
  /** 200 for a fresh body (any 2xx), 304 when the cached copy is still current. */
  status: 200 | 304;
  /** The final URL, after redirects. */
  url: string;
  /** The whole body as text; null on 304. */
  body: string | null;
  etag: string | null;
  lastModified: string | null;
  /** True on 304: the caller's stored copy is still valid. */
  fromCache: boolean;
}

export interface PoliteClient {
  /** Fetches `url`; throws an HttpError subclass (see errors.ts) when it cannot. */
  get(url: string, init?: { headers?: Record<string, string> }): Promise<FetchResult>;
  /** POSTs `body` (sent as given; set Content-Type in headers) under the same spacing, queue and retries. */
  post(url: string, body: string, init?: { headers?: Record<string, string> }): Promise<FetchResult>;
}

export function createPoliteClient(options: PoliteClientOptions): PoliteClient {
  validateOptions(options);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const queue = new PQueue({ concurrency: options.maxConcurrent ?? 1 });
  const gate = createStartGate(options.minIntervalMs);

  function emit(event: Omit<ClientEvent, 'client'>): void {
    // Logging must never change the outcome of a request.
    try {
      options.onEvent?.({ client: options.name, ...event });
    } catch {
      // ignored on purpose
    }
  }

  /**
   * One attempt: wait for a connection slot (FIFO), then for the spacing, then exchange. A Retry-After
   * the server sends is applied to the whole client here, before the slot is released, so no other
   * queued request can start in between.
   */
  function attemptOnce(url: string, headers: Headers, attempt: number, request: RequestBody | undefined): Promise<Attempt> {
    return queue.add(async () => {
      // This process's spacing first (no store round trip while another local request is due), then the
      // turn shared with the other processes.
      await gate.waitForTurn();
      const slot = await options.sharedGate?.acquire();
      try {
        emit({ type: 'request', url: redactUrl(url), attempt });
        const outcome = await exchange(url, headers, options.timeoutMs, request);
        const retryAfterMs = outcome.kind === 'response' && isRetryableStatus(outcome.status)
          ? parseRetryAfterMs(outcome.headers.get('retry-after'), Date.now())
          : null;
        // Beyond the cap the call fails at once instead; the client is not frozen for that long.
        if (retryAfterMs !== null && retryAfterMs <= maxRetryAfterMs) {
          gate.holdFor(retryAfterMs);
          await options.sharedGate?.holdFor(retryAfterMs);
        }
        return { outcome, retryAfterMs };
      } finally {
        await slot?.release();
      }
    });
  }

  async function send(url: string, init: { headers?: Record<string, string> }, request: RequestBody | undefined): Promise<FetchResult> {
    assertHttpUrl(url);
    const safeUrl = redactUrl(url);
    const method = request?.method ?? 'GET';
    // Conditional requests only make sense for GETs; a POST answer is never a cached copy.
    const cached = options.validators && !request ? await options.validators.get(url) : null;
    const headers = requestHeaders(options.userAgent, init.headers, cached);
    let lastStatus: number | undefined;

    const giveUp = (error: HttpError, attempt: number, reason: string, waitMs?: number): HttpError => {
      emit({
        type: 'give-up',
        url: safeUrl,
        attempt,
        ...(lastStatus === undefined ? {} : { status: lastStatus }),
        reason,
        ...(waitMs === undefined ? {} : { waitMs }),
      });
      return error;
    };

    for (let attempt = 1; ; attempt += 1) {
      const { outcome, retryAfterMs } = await attemptOnce(url, headers, attempt, request);
      const retriesLeft = attempt <= options.maxRetries;

      if (outcome.kind === 'response') {
        const { status } = outcome;
        lastStatus = status;
        emit({ type: 'response', url: safeUrl, attempt, status });
        if (status === 304) return notModified(url, outcome, cached, options.validators);
        if (status >= 200 && status < 300) return fresh(url, outcome, cached, request ? undefined : options.validators);

        const base = { url, method, status, attempts: attempt, body: outcome.body };
        if (!isRetryableStatus(status)) {
          throw giveUp(new HttpStatusError({ ...base, reason: 'not retryable' }), attempt, `HTTP ${status}`);
        }
        if (retryAfterMs !== null && retryAfterMs > maxRetryAfterMs) {
          const reason = `Retry-After of ${retryAfterMs / 1000} s exceeds the ${maxRetryAfterMs / 1000} s cap`;
          throw giveUp(statusError({ ...base, reason, retryAfterMs }), attempt, reason, retryAfterMs);
        }
        if (!retriesLeft) {
          throw giveUp(statusError({ ...base, reason: 'retries exhausted', retryAfterMs }), attempt, `HTTP ${status}`);
        }
        const waitMs = retryAfterMs ?? backoffDelayMs(attempt - 1, options.baseBackoffMs, options.maxBackoffMs, random);
        // A 429 without Retry-After is still the service saying "too fast" to the whole machine.
        if (retryAfterMs === null && isRateLimitStatus(status)) await options.sharedGate?.holdFor(waitMs);
        emit({ type: 'retry', url: safeUrl, attempt, status, waitMs, reason: `HTTP ${status}` });
        await sleep(waitMs);
        continue;
      }

      if (outcome.status !== undefined) lastStatus = outcome.status;
      const reason = outcome.kind === 'timeout' ? 'timeout' : `network error (${outcome.problem})`;
      if (!retriesLeft) {
        const error = outcome.kind === 'timeout'
          ? new HttpTimeoutError({ url, method, attempts: attempt, status: lastStatus, timeoutMs: options.timeoutMs })
          : new NetworkError({ url, method, attempts: attempt, status: lastStatus, problem: outcome.problem, code: outcome.code, cause: outcome.cause });
        throw giveUp(error, attempt, reason);
      }
      const waitMs = backoffDelayMs(attempt - 1, options.baseBackoffMs, options.maxBackoffMs, random);
      emit({ type: 'retry', url: safeUrl, attempt, waitMs, reason });
      await sleep(waitMs);
    }
  }

  return {
    get: (url, init = {}) => send(url, init, undefined),
    post: (url, body, init = {}) => send(url, init, { method: 'POST', body }),
  };
}

function statusError(details: { url: string; method: string; status: number; attempts: number; body: string; reason: string; retryAfterMs: number | null }): HttpStatusError {
  return isRateLimitStatus(details.status) ? new RateLimitedError(details) : new HttpStatusError(details);
}

function requestHeaders(userAgent: string, callerHeaders: Record<string, string> | undefined, cached: Validators | null): Headers {
  const headers = new Headers({ 'User-Agent': userAgent, 'Accept-Encoding': 'gzip' });
  if (cached?.etag) headers.set('If-None-Match', cached.etag);
  if (cached?.lastModified) headers.set('If-Modified-Since', cached.lastModified);
  // The caller has the last word, e.g. to force an unconditional fetch with its own validators.
  for (const [name, value] of Object.entries(callerHeaders ?? {})) headers.set(name, value);
  return headers;
}

type ResponseOutcome = Extract<ExchangeOutcome, { kind: 'response' }>;

interface Attempt {
  outcome: ExchangeOutcome;
  /** The server's Retry-After on a retryable status, if it sent one we understand. */
  retryAfterMs: number | null;
}

async function fresh(url: string, outcome: ResponseOutcome, cached: Validators | null, cache: ValidatorCache | undefined): Promise<FetchResult> {
  const validators = validatorsOf(outcome.headers);
  // Store what the server gave; overwrite stale validators even when it gave none any more.
  if (cache && (validators.etag !== null || validators.lastModified !== null || cached !== null)) {
    await cache.set(url, validators);
  }
  return { status: 200, url: outcome.finalUrl, body: outcome.body, ...validators, fromCache: false };
}

async function notModified(url: string, outcome: ResponseOutcome, cached: Validators | null, cache: ValidatorCache | undefined): Promise<FetchResult> {
  // A 304 may carry refreshed validators (RFC 9110 §15.4.5); otherwise the stored ones still hold.
  const sent = validatorsOf(outcome.headers);
  const validators = {
    etag: sent.etag ?? cached?.etag ?? null,
    lastModified: sent.lastModified ?? cached?.lastModified ?? null,
  };
  if (cache && (validators.etag !== (cached?.etag ?? null) || validators.lastModified !== (cached?.lastModified ?? null))) {
    await cache.set(url, validators);
  }
  return { status: 304, url: outcome.finalUrl, body: null, ...validators, fromCache: true };
}

function validatorsOf(headers: Headers): Validators {
  return { etag: headers.get('etag'), lastModified: headers.get('last-modified') };
}

function assertHttpUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new TypeError(`Not a valid URL: ${redactUrl(url)}`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new TypeError(`Not an http(s) URL: ${redactUrl(url)}`);
}

function validateOptions(options: PoliteClientOptions): void {
  const nonNegative: Array<[string, number]> = [
    ['minIntervalMs', options.minIntervalMs],
    ['maxRetries', options.maxRetries],
    ['baseBackoffMs', options.baseBackoffMs],
    ['maxBackoffMs', options.maxBackoffMs],
  ];
  for (const [name, value] of nonNegative) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${options.name}: ${name} must be a finite number ≥ 0, got ${value}`);
  }
  if (!Number.isInteger(options.maxRetries)) throw new RangeError(`${options.name}: maxRetries must be an integer, got ${options.maxRetries}`);
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) throw new RangeError(`${options.name}: timeoutMs must be > 0, got ${options.timeoutMs}`);
  const maxConcurrent = options.maxConcurrent ?? 1;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`${options.name}: maxConcurrent must be an integer ≥ 1, got ${maxConcurrent}`);
  if (options.maxRetryAfterMs !== undefined && !(options.maxRetryAfterMs >= 0)) throw new RangeError(`${options.name}: maxRetryAfterMs must be ≥ 0`);
  if (options.userAgent.trim() === '') throw new RangeError(`${options.name}: userAgent must not be empty`);
}
