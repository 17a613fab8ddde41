import type { Context, MiddlewareHandler } from 'hono';
import type { Store } from '../store/store.ts';
import { leaveRepresentationToPageCache, represent } from './caching.ts';
import { bodyHash, codedEtag, encodeBody, keptOnNotModified, matchesIfNoneMatch, negotiateCoding, shouldCompress, varyOnAcceptEncoding, type Coding, type Effort } from './content-coding.ts';
import { SingleFlight } from './single-flight.ts';

/** The store's generation (src/store/generation.ts); null when unreadable (the route then runs and reports why). */
function currentGeneration(store: Store): Promise<string | null> {
  return store.generation().catch(() => null);
}

/**
 * One coding of a kept page, with its headers built once as a plain object: @hono/node-server writes
 * such a response's headers as they are, with no Headers object built per request.
 */
interface Representation {
  body: Uint8Array;
  etag: string;
  headers: Record<string, string>;
  /** What a 304 for it carries: the 200's headers without the body's. */
  notModifiedHeaders: Record<string, string>;
}

interface Entry {
  generation: string;
  storedAt: number;
  /** When a request first found this entry out of date (another generation, or past maxAgeMs). */
  staleSince?: number;
  status: number;
  /** identity always; br and gzip when the page is worth compressing. */
  codings: Partial<Record<Coding, Representation>> & { identity: Representation };
  bytes: number;
}

export interface PageCacheOptions {
  /**
   * Pages also depend on the clock (the digest's "no announcement today", "next announcement"), so an
   * entry lives at most this long: the same minute a browser may keep the page (Cache-Control max-age).
   */
  maxAgeMs?: number;
  /**
   * While a page is being rebuilt, other requests for it are answered from its previous entry for at
   * most this long after that entry went out of date (stale-while-revalidate); past it they wait for
   * the build. The first request after a change always waits for, and gets, the new page.
   */
  staleWhileRevalidateMs?: number;
  /** Bound on the bodies kept (all codings), in bytes; least recently used entries go first; 0 keeps none. */
  maxBytes?: number;
  now?: () => number;
}

/** Pages at least this large (the digest, day lists, feeds) are recompressed at the best effort. */
export const BEST_EFFORT_MIN_BYTES = 64 * 1024;

function representation(base: Headers, body: Uint8Array, etag: string, coding: Coding, compressible: boolean): Representation {
  const headers = new Headers(base);
  headers.set('ETag', etag);
  headers.set('Content-Length', String(body.byteLength));
  if (coding !== 'identity') headers.set('Content-Encoding', coding);
  if (compressible) headers.set('Vary', varyOnAcceptEncoding(headers.get('Vary')));
  const all = [...headers.entries()];
  return { body, etag, headers: Object.fromEntries(all), notModifiedHeaders: Object.fromEntries(all.filter(([name]) => keptOnNotModified(name))) };
}

/** Every coding of a rendered page; `effort` as in encodeBody. */
async function representations(base: Headers, body: Uint8Array, effort: Effort): Promise<Entry['codings']> {
  const hash = bodyHash(body);
  const compressible = shouldCompress(base, body.byteLength);
  const identity = representation(base, body, codedEtag(hash, 'identity'), 'identity', compressible);
  if (!compressible) return { identity };
  const [br, gzip] = await Promise.all([encodeBody(body, 'br', effort), encodeBody(body, 'gzip', effort)]);
  return {
    identity,
    br: representation(base, br, codedEtag(hash, 'br'), 'br', true),
    gzip: representation(base, gzip, codedEtag(hash, 'gzip'), 'gzip', true),
  };
}

const sizeOf = (codings: Entry['codings']) => Object.values(codings).reduce((sum, r) => sum + r.body.byteLength, 0);

/**
 * A request header as Node parsed it when @hono/node-server serves the request (c.env.incoming):
 * reading it through c.req would build the Request's Headers object, the costliest part of a hit
 * after writing the response. Repeated fields come joined by ", " either way.
 */
function requestHeader(c: Context, name: 'accept-encoding' | 'if-none-match'): string | undefined {
  const incoming = (c.env as { incoming?: { headers?: Record<string, string | string[] | undefined> } } | undefined)?.incoming;
  if (!incoming?.headers) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Answers from a kept page in the coding the request accepts, or 304 when If-None-Match names that one. */
function serve(c: Context, entry: Entry): void {
  const chosen = entry.codings[negotiateCoding(requestHeader(c, 'accept-encoding'))] ?? entry.codings.identity;
  c.res = matchesIfNoneMatch(requestHeader(c, 'if-none-match'), chosen.etag)
    ? new Response(null, { status: 304, headers: chosen.notModifiedHeaders })
    : new Response(chosen.body, { status: entry.status, headers: chosen.headers });
}

/**
 * Keeps rendered 200 responses of GET (and HEAD) requests (body in every coding, ETags, headers) per URL for as
 * long as the store's generation is unchanged, so a busy digest is queried, rendered, hashed and
 * compressed once per store change instead of once per request (measured in `npm run bench`: the
 * digest of a 100,000-paper store takes tens of milliseconds to build). A page is kept at once with
 * fast compression, then, when large, recompressed at the best effort in the background, one page at a time.
 *
 * One build per page at a time: the first request that finds a page missing or out of date builds it
 * and gets the new page; requests arriving during that build get the previous entry if it went out
 * of date less than staleWhileRevalidateMs ago, else wait for the build and share it. So a commit
 * costs each page one build, however many requests come, and while ingests commit every second
 * readers do not queue behind the rebuilds of every page (measured: the load soak, docs/reliability.md).
 *
 * Mount it outside httpCaching (it settles the coding and ETag of what it keeps itself, and a hit
 * answers If-None-Match with the stored ETag) and outside any middleware whose headers are the same
 * for every response (they are kept with the page).
 */
export function pageCache(store: Store, options: PageCacheOptions = {}): MiddlewareHandler {
  const maxBytes = options.maxBytes ?? 32 * 2 ** 20;
  if (maxBytes === 0) return (_c, next) => next();
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const staleWhileRevalidateMs = options.staleWhileRevalidateMs ?? 5_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on every hit makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  let bytes = 0;
  // Keyed by URL alone: a build for an older generation still running when the next commit lands
  // is not joined by a second one; it ends, and the next request rebuilds.
  const builds = new SingleFlight<Entry | null>();
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const keep = (key: string, entry: Entry) => {
    drop(key);
    entries.set(key, entry);
    bytes += entry.bytes;
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break;
      drop(oldest);
    }
  };
  const touch = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
  };
  // Brotli 11 takes half a second of a core for the digest: one page at a time, in the thread pool,
  // and only for a page still kept when its turn comes.
  let upgrades = Promise.resolve();
  const upgrade = (key: string, entry: Entry, base: Headers) => {
    upgrades = upgrades.then(async () => {
      if (entries.get(key) !== entry) return;
      const best = await representations(base, entry.codings.identity.body, 'best').catch(() => null);
      if (!best || entries.get(key) !== entry) return;
      keep(key, { ...entry, codings: best, bytes: sizeOf(best) });
    });
  };

  /** Runs the route and keeps its answer when it is a 200 worth keeping; null when not kept. */
  const build = async (c: Context, next: () => Promise<void>, key: string, generation: string): Promise<Entry | null> => {
    await next();
    const rendered = c.res;
    // A reader's own answer (private, no-store: /api/v1/me, /me) is never kept, so never served to another.
    const personal = /\b(private|no-store)\b/.test(rendered.headers.get('Cache-Control') ?? '');
    const kept = rendered.status === 200 && !personal && !rendered.headers.has('Set-Cookie') ? new Uint8Array(await rendered.clone().arrayBuffer()) : null;
    if (kept === null || kept.byteLength > maxBytes / 4) {
      // The page now answers otherwise (a 404, an error): its previous entry must not be served again.
      drop(key);
      return null;
    }
    const base = new Headers(rendered.headers);
    // Rendered against the generation read before it: a write during rendering leaves a stale key that never matches.
    const codings = await representations(base, kept, 'fast');
    const entry: Entry = { generation, storedAt: now(), status: rendered.status, codings, bytes: sizeOf(codings) };
    keep(key, entry);
    // Brotli 11 only where it pays: it costs ~30 ms of a core on a 12 KB paper page to save ~500
    // bytes, and a store's worth of paper pages each seen once would keep a core busy (measured).
    if (entry.codings.br && kept.byteLength >= BEST_EFFORT_MIN_BYTES) upgrade(key, entry, base);
    return entry;
  };

  // Requests this cache is already handling: one mounted on overlapping paths (`/about`, `/about/*`)
  // must not wait for its own build. Hono gives a request one Context through all its middleware.
  const handling = new WeakSet<Context>();

  return async (c, next) => {
    // HEAD too: Hono runs the GET route for it and drops the body last, so it gets the GET's headers.
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || handling.has(c)) return next();
    handling.add(c);
    // The whole URL, origin included: feeds write absolute links from the request's host.
    const key = c.req.url;
    // The cache only ever saves work: when the store cannot say its generation, the route runs and
    // reports the failure itself (through the error handler, with its no-store header).
    const generation = await currentGeneration(store);
    if (generation === null) return next();
    const entry = entries.get(key);
    const at = now();
    if (entry && entry.generation === generation && at - entry.storedAt < maxAgeMs) {
      touch(key, entry);
      return serve(c, entry);
    }
    if (entry) entry.staleSince ??= at;
    leaveRepresentationToPageCache(c);
    const running = builds.running(key);
    if (running) {
      if (entry && at - entry.staleSince! < staleWhileRevalidateMs) {
        touch(key, entry);
        return serve(c, entry);
      }
      const shared = await running;
      if (shared) return serve(c, shared);
      // The shared build was not kept (not a 200, or too large): this request builds its own answer.
      await next();
      return represent(c);
    }
    const built = await builds.run(key, () => build(c, next, key, generation));
    if (!built) return represent(c);
    c.res = undefined;
    serve(c, built);
  };
}
