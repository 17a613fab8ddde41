import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { Store } from '../store/db.ts';
import { dialectOf } from '../store/dialect.ts';
import { SingleFlight } from './single-flight.ts';

/**
 * The store's generation: rows this connection has changed since it opened (`total_changes()`) and
 * SQLite's `data_version`, which moves whenever another connection (a CLI run, another process)
 * commits. Either changing means a page rendered before may be out of date. About 0.1 ms.
 */
export async function storeGeneration(store: Store): Promise<string> {
  const { rows } = await sql<{ changes: number; version: number }>`SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version`.execute(store);
  return `${rows[0]!.version}:${rows[0]!.changes}`;
}

interface Entry {
  generation: string;
  storedAt: number;
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export interface PageCacheOptions {
  /**
   * Pages also depend on the clock (the digest's "no announcement today", "next announcement"), so an
   * entry lives at most this long: the same minute a browser may keep the page (Cache-Control max-age).
   */
  maxAgeMs?: number;
  /** Bound on the bodies kept, in bytes; least recently used entries go first. */
  maxBytes?: number;
  now?: () => number;
}

/**
 * Keeps rendered 200 responses of GET requests (body, ETag, headers) per URL for as long as the store's
 * generation is unchanged, so a busy digest is queried, rendered and hashed once per store change
 * instead of once per request (measured in `npm run bench`: the digest of a 100,000-paper store takes
 * tens of milliseconds to build). Mount it outside the ETag middleware: a hit answers
 * If-None-Match itself with the stored ETag.
 */
export function pageCache(store: Store, options: PageCacheOptions = {}): MiddlewareHandler {
  // The generation is SQLite's; on PostgreSQL several servers share the database and no cheap
  // counter says when another one wrote, so pages are built per request there.
  if (dialectOf(store) !== 'sqlite') return (_c, next) => next();
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const maxBytes = options.maxBytes ?? 32 * 2 ** 20;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on every hit makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const builds = new SingleFlight();
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.body.byteLength;
    entries.delete(key);
  };
  // Requests this cache is already handling: one mounted on overlapping paths (`/about`, `/about/*`)
  // must not wait for its own build.
  const handling = new WeakSet<Request>();
  return async (c, next) => {
    if (c.req.method !== 'GET' || handling.has(c.req.raw)) return next();
    handling.add(c.req.raw);
    const url = new URL(c.req.url);
    // The origin too: feeds write absolute links from the request's host.
    const key = url.origin + url.pathname + url.search;
    // The cache only ever saves work: when the store cannot say its generation, the route runs and
    // reports the failure itself (through the error handler, with its no-store header).
    const generation = await storeGeneration(store).catch(() => null);
    if (generation === null) return next();
    // Requests for a page being built against this generation wait for that build and are served its entry.
    const buildKey = `${generation} ${key}`;
    const joined = await builds.joined(buildKey);
    const hit = entries.get(key);
    if (hit && hit.generation === generation && now() - hit.storedAt < maxAgeMs) {
      entries.delete(key);
      entries.set(key, hit);
      const headers = new Headers(hit.headers);
      const etag = headers.get('ETag');
      const inm = c.req.header('If-None-Match');
      if (etag && inm && inm.split(/\s*,\s*/).some((t) => t === etag || t === '*' || t.replace(/^W\//, '') === etag.replace(/^W\//, ''))) {
        headers.delete('Content-Length');
        headers.delete('Content-Type');
        c.res = new Response(null, { status: 304, headers });
        return;
      }
      c.res = new Response(hit.body, { status: hit.status, headers });
      return;
    }
    drop(key);
    // The shared build was not kept (not a 200, or too large): this request builds its own answer.
    if (joined) return next();
    await builds.run(buildKey, async () => {
      await next();
      if (c.res.status !== 200 || c.res.headers.has('Set-Cookie')) return;
      const body = new Uint8Array(await c.res.clone().arrayBuffer());
      if (body.byteLength > maxBytes / 4) return;
      // Rendered against the generation read before it: a write during rendering leaves a stale key that never matches.
      entries.set(key, { generation, storedAt: now(), status: c.res.status, headers: [...c.res.headers.entries()], body });
      bytes += body.byteLength;
      for (const oldest of entries.keys()) {
        if (bytes <= maxBytes) break;
        drop(oldest);
      }
    });
  };
}
