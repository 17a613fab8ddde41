import type { Context, MiddlewareHandler } from 'hono';
import { bodyHash, codedEtag, encodeBody, keptOnNotModified, matchesIfNoneMatch, negotiateCoding, shouldCompress, varyOnAcceptEncoding } from './content-coding.ts';

/** Pages, feeds and the API change at most once per pass: a minute fresh, then revalidated by ETag. */
export const CACHE_CONTROL = 'public, max-age=60, must-revalidate';

// Responses whose coding and ETag the page cache settles itself (it keeps every coding of a page).
const settledByPageCache = new WeakSet<Context>();

/** Called by the page cache before rendering a page it will store: httpCaching leaves the body as it is. */
export function leaveRepresentationToPageCache(c: Context): void {
  settledByPageCache.add(c);
}

/**
 * The representation of a rendered GET/HEAD response: compressed in the coding the request accepts
 * (large text bodies; `Vary: Accept-Encoding`), with an ETag per representation, or 304 when
 * If-None-Match names it. Works on c.res in place; the page cache applies it to what it does not keep.
 */
export async function represent(c: Context): Promise<void> {
  const res = c.res;
  if (res.status === 204 || res.status === 304 || res.body === null) return;
  const body = new Uint8Array(await res.arrayBuffer());
  const headers = new Headers(res.headers);
  const compress = shouldCompress(headers, body.byteLength);
  const coding = compress ? negotiateCoding(c.req.header('Accept-Encoding')) : 'identity';
  if (compress) headers.set('Vary', varyOnAcceptEncoding(headers.get('Vary')));
  if (res.ok) {
    const etag = headers.get('ETag') ?? codedEtag(bodyHash(body), coding);
    headers.set('ETag', etag);
    if (matchesIfNoneMatch(c.req.header('If-None-Match'), etag)) {
      for (const name of [...headers.keys()]) if (!keptOnNotModified(name)) headers.delete(name);
      // Assigned after a fresh Response: Hono's c.res setter would merge the old headers back in.
      c.res = undefined;
      c.res = new Response(null, { status: 304, headers });
      return;
    }
  }
  let sent: Uint8Array = body;
  if (coding !== 'identity') {
    sent = await encodeBody(body, coding, 'fast');
    headers.set('Content-Encoding', coding);
  }
  headers.set('Content-Length', String(sent.byteLength));
  c.res = undefined;
  c.res = new Response(sent, { status: res.status, headers });
}

/**
 * ETag and Cache-Control on successful GET/HEAD responses, 304 on a matching If-None-Match, and the
 * content coding the request accepts; errors and every other method are `no-store`. A route may set
 * its own Cache-Control.
 */
export function httpCaching(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      await next();
      c.res.headers.set('Cache-Control', 'no-store');
      return;
    }
    await next();
    // A 304 stands for its 200 (the page cache inside the rate limiter answers them).
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', c.res.status === 200 || c.res.status === 304 ? CACHE_CONTROL : 'no-store');
    if (!settledByPageCache.has(c)) await represent(c);
  };
}
