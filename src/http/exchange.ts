/**
 * One HTTP exchange (GET, or a POST with a body), start to finish, turned into an outcome the retry loop can reason about.
 * Never throws for HTTP statuses, timeouts or network failures; only for programming errors.
 *
 * ky runs with `retry: 0`, `timeout: false` and `throwHttpErrors: false`: ky's timeout stops once the
 * headers arrive (it would not cover a body that stalls halfway), and its retries happen outside our
 * shared queue and spacing. So the time limit here is our own AbortController spanning headers + body,
 * and retrying is the polite client's job.
 */
import ky from 'ky';

export type ExchangeOutcome =
  | { kind: 'response'; status: number; finalUrl: string; headers: Headers; body: string }
  /** `status` is set when the headers had arrived before things went wrong. */
  | { kind: 'timeout'; status?: number }
  | { kind: 'network'; problem: string; code: string | null; cause: unknown; status?: number };

/** What to send besides headers; a GET when absent. Batch APIs (Semantic Scholar) take a JSON POST body. */
export interface RequestBody {
  method: 'POST';
  body: string;
}

export async function exchange(url: string, headers: Headers, timeoutMs: number, request?: RequestBody): Promise<ExchangeOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await ky(url, {
      method: request?.method ?? 'GET',
      ...(request ? { body: request.body } : {}),
      headers,
      signal: controller.signal,
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
    });
    let body: string;
    try {
      // Reading the whole body inside the timer: a truncated body (connection closed before
      // Content-Length bytes, premature close of a chunked body) rejects here.
      body = await response.text();
    } catch (error) {
      // For an error status the status is the news; a broken error page does not change it.
      if (!response.ok) body = '';
      else if (controller.signal.aborted) return { kind: 'timeout', status: response.status };
      else if (isNetworkFailure(error)) return { ...networkOutcome(error), status: response.status };
      else throw error;
    }
    return { kind: 'response', status: response.status, finalUrl: response.url || url, headers: response.headers, body };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'timeout' };
    if (isNetworkFailure(error)) return networkOutcome(error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * undici (Node's fetch) reports every transport failure as a TypeError with a `cause`:
 * "fetch failed" (refused, reset, DNS) or "terminated" (socket closed mid-body). A TypeError
 * without a cause is a programming error (bad header value...) and must not be retried.
 */
function isNetworkFailure(error: unknown): error is TypeError {
  return error instanceof TypeError && error.cause !== undefined;
}

function networkOutcome(error: TypeError): Extract<ExchangeOutcome, { kind: 'network' }> {
  // The useful detail is at the bottom of the cause chain: "UND_ERR_SOCKET: other side closed".
  let deepest: unknown = error;
  let code: string | null = null;
  for (let depth = 0; depth < 5 && deepest instanceof Error && deepest.cause !== undefined; depth += 1) {
    deepest = deepest.cause;
    const deepestCode = errorCode(deepest);
    if (deepestCode !== null) code = deepestCode;
  }
  const detail = deepest instanceof Error ? deepest.message : String(deepest);
  const problem = `${error.message}: ${code === null ? '' : `${code}: `}${detail}`;
  return { kind: 'network', problem, code, cause: error };
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}
