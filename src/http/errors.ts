/**
 * What can go wrong fetching a URL, as classes callers branch on with `instanceof`:
 *
 *   HttpError                 base: url (redacted), attempts, last status seen (if any)
 *   ├─ HttpStatusError        a non-2xx answer we gave up on (status, body excerpt)
 *   │  └─ RateLimitedError    429/503: the server asked us to slow down (retryAfterMs if it said how long)
 *   ├─ HttpTimeoutError       no complete answer (headers + body) within the time limit
 *   └─ NetworkError           refused/reset connection, body cut short, premature close
 *
 * `url` is always redacted (no credentials, API keys or contact e-mails), so errors can be logged as they are.
 */
import { collapseWhitespace } from '../domain/whitespace.ts';
import { redactUrl } from './redact-url.ts';

const BODY_EXCERPT_MAX_CHARS = 500;

export interface HttpErrorDetails {
  /** The URL as requested; it is redacted before it is stored or shown. */
  url: string;
  /** Requests actually sent for this call, retries included. */
  attempts: number;
  /** The HTTP method, for the message; GET when absent. */
  method?: string;
  /** The last HTTP status received over all attempts, if any attempt got that far. */
  status?: number | undefined;
  cause?: unknown;
}

export class HttpError extends Error {
  readonly url: string;
  readonly attempts: number;
  readonly status: number | undefined;

  constructor(message: string, details: HttpErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.url = redactUrl(details.url);
    this.attempts = details.attempts;
    this.status = details.status;
  }
}

export interface HttpStatusErrorDetails extends HttpErrorDetails {
  status: number;
  /** The response body as received; only an excerpt is kept. */
  body: string;
  /** Why no (further) retry was made, for the message: e.g. "not retryable", "retries exhausted". */
  reason: string;
}

export class HttpStatusError extends HttpError {
  override readonly status: number;
  /** At most BODY_EXCERPT_MAX_CHARS characters of the response body, whitespace collapsed. */
  readonly bodyExcerpt: string;

  constructor(details: HttpStatusErrorDetails) {
    super(
      `${details.method ?? 'GET'} ${redactUrl(details.url)} failed with HTTP ${details.status} after ${describeAttempts(details.attempts)} (${details.reason})`,
      details,
    );
    this.status = details.status;
    this.bodyExcerpt = excerpt(details.body);
  }
}

export interface RateLimitedErrorDetails extends HttpStatusErrorDetails {
  retryAfterMs: number | null;
}

export class RateLimitedError extends HttpStatusError {
  /** How long the server asked us to wait (Retry-After), or null when it did not say. */
  readonly retryAfterMs: number | null;

  constructor(details: RateLimitedErrorDetails) {
    super(details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

export interface HttpTimeoutErrorDetails extends HttpErrorDetails {
  timeoutMs: number;
}

export class HttpTimeoutError extends HttpError {
  readonly timeoutMs: number;

  constructor(details: HttpTimeoutErrorDetails) {
    super(
      `${details.method ?? 'GET'} ${redactUrl(details.url)} timed out (no complete response within ${details.timeoutMs} ms) after ${describeAttempts(details.attempts)}; last status: ${describeStatus(details.status)}`,
      details,
    );
    this.timeoutMs = details.timeoutMs;
  }
}

export interface NetworkErrorDetails extends HttpErrorDetails {
  /** e.g. "UND_ERR_SOCKET: other side closed", "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:80". */
  problem: string;
  /** The lowest-level error code found (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET...), if any. */
  code: string | null;
}

export class NetworkError extends HttpError {
  readonly code: string | null;

  constructor(details: NetworkErrorDetails) {
    super(
      `${details.method ?? 'GET'} ${redactUrl(details.url)} failed with a network error (${details.problem}) after ${describeAttempts(details.attempts)}; last status: ${describeStatus(details.status)}`,
      details,
    );
    this.code = details.code;
  }
}

function describeAttempts(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

function describeStatus(status: number | undefined): string {
  return status === undefined ? 'none' : String(status);
}

function excerpt(body: string): string {
  return collapseWhitespace(body).slice(0, BODY_EXCERPT_MAX_CHARS);
}
