import type { MiddlewareHandler } from 'hono';
import { etag } from 'hono/etag';

/** Pages, feeds and the API change at most once per pass: a minute fresh, then revalidated by ETag. */
export const CACHE_CONTROL = 'public, max-age=60, must-revalidate';

/**
 * ETag (a hash of the body) and Cache-Control on successful GET/HEAD responses, 304 on a matching
 * If-None-Match; errors and every other method are `no-store`. A route may set its own Cache-Control.
 */
export function httpCaching(): MiddlewareHandler {
  const withEtag = etag();
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      await next();
      c.res.headers.set('Cache-Control', 'no-store');
      return;
    }
    await withEtag(c, async () => {
      await next();
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', c.res.status === 200 ? CACHE_CONTROL : 'no-store');
    });
  };
}
