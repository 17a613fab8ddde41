/**
 * When to retry a request and how long to wait first: the one set of rules for every client papersift
 * has (arXiv, Semantic Scholar, OpenAlex through the polite client; the LLM engine). Pure functions,
 * so the rules are testable on their own.
 */

/**
 * Statuses that mean "try again later" rather than "this request is wrong": 408 (the server stopped
 * waiting for the request), 429, the transient 5xx, and 529 (overloaded: Anthropic's API and some
 * proxies). 501 and 505 are not here: asking again gets the same answer.
 */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504, 529]);

/** Statuses with which a server tells us to slow down; giving up on them raises RateLimitedError. */
const RATE_LIMIT_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

export function isRateLimitStatus(status: number): boolean {
  return RATE_LIMIT_STATUSES.has(status);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniformly random wait in [0, min(maxBackoffMs, baseBackoffMs * 2^retryIndex)), so that clients
 * which failed together do not come back together. `retryIndex` is 0 for the first retry.
 */
export function backoffDelayMs(retryIndex: number, baseBackoffMs: number, maxBackoffMs: number, random: () => number): number {
  const ceiling = Math.min(maxBackoffMs, baseBackoffMs * 2 ** retryIndex);
  return Math.floor(ceiling * random());
}

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3): either delay-seconds or an HTTP date.
 * Returns the wait in milliseconds (never negative), or null when absent or unparsable.
 * Fractional seconds ("1.5") are not in the RFC but cost nothing to honour.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // HTTP dates start with a day name; Date.parse alone would take "-5" for a year.
  if (!/^[A-Za-z]{3}/.test(value)) return null;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}
