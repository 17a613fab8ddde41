import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import Negotiator from 'negotiator';

/**
 * Content codings of responses: which one a request accepts (Accept-Encoding with q-values), which
 * responses are worth compressing, the compression itself (node:zlib, in the thread pool so the event
 * loop keeps serving) and the ETag of each coded representation.
 */
export type Coding = 'br' | 'gzip' | 'identity';

/** The codings served, in the server's order of preference when the client likes several equally. */
export const CODINGS: readonly Coding[] = ['br', 'gzip', 'identity'];

/** Below this a body is sent as it is: compressing saves less than the headers it adds. */
export const MIN_COMPRESSED_BYTES = 1024;

// negotiator 1.x breaks ties by the server's preference (`preferred`); @types/negotiator 0.6 predates that argument.
type EncodingsWithPreference = (available: readonly string[], options: { preferred: readonly string[] }) => string[];
const encodings = Negotiator.prototype.encodings as unknown as EncodingsWithPreference;

// Clients send a handful of distinct Accept-Encoding values (one per browser family): parse each once.
const negotiated = new Map<string, Coding>();
const NEGOTIATED_KEPT = 64;

/**
 * The coding to send for this Accept-Encoding: the acceptable one with the highest q, br before gzip
 * on a tie. No header means identity (RFC 9110 §12.5.3 allows any, but only identity is safe for
 * old clients), and so does a header that refuses everything (a 406 would leave the client with nothing).
 */
export function negotiateCoding(acceptEncoding: string | undefined): Coding {
  if (!acceptEncoding) return 'identity';
  let coding = negotiated.get(acceptEncoding);
  if (coding === undefined) {
    const [best] = encodings.call(new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }), CODINGS, { preferred: CODINGS });
    coding = (best as Coding | undefined) ?? 'identity';
    if (negotiated.size >= NEGOTIATED_KEPT) negotiated.clear();
    negotiated.set(acceptEncoding, coding);
  }
  return coding;
}

/** Text-like media types: HTML, CSS, JSON (the API, JSON Feed, CSL-JSON), XML (Atom, RSS, OpenSearch), plain text, BibTeX and RIS. */
export function isCompressible(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type.startsWith('text/') || type === 'image/svg+xml' || /^application\/(?:[\w.-]+\+)?(?:json|xml)$/.test(type) || type === 'application/javascript' || type === 'application/x-bibtex' || type === 'application/x-research-info-systems';
}

/** Worth a Content-Encoding: a text type, not coded already, and large enough. */
export function shouldCompress(headers: Headers, byteLength: number): boolean {
  return byteLength >= MIN_COMPRESSED_BYTES && !headers.has('Content-Encoding') && isCompressible(headers.get('Content-Type'));
}

/**
 * `fast` for a response compressed per request (measured on the 229 KB digest page: brotli 5 in 4 ms
 * to 33 KB, gzip 6 in 4 ms to 37 KB); `best` for one compressed once and served many times from the
 * page cache (brotli 11: 0.5 s to 28 KB; gzip 9).
 */
export type Effort = 'fast' | 'best';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export async function encodeBody(body: Uint8Array, coding: Exclude<Coding, 'identity'>, effort: Effort): Promise<Uint8Array> {
  if (coding === 'gzip') return gzip(body, { level: effort === 'best' ? 9 : 6 });
  return brotli(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: effort === 'best' ? 11 : 5,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}

/** The hash of the identity body every representation's ETag is built from (SHA-1, as hono/etag's). */
export function bodyHash(body: Uint8Array): string {
  return createHash('sha1').update(body).digest('hex');
}

/**
 * The identity body keeps a strong ETag, `"<sha1>"`. A coded one names its coding, so each
 * representation has its own ETag, and is weak: its bytes depend on the compression effort (the page
 * cache serves brotli 5 until brotli 11 is ready), its content does not.
 */
export function codedEtag(hash: string, coding: Coding): string {
  return coding === 'identity' ? `"${hash}"` : `W/"${hash}-${coding}"`;
}

/** If-None-Match against an ETag by the weak comparison RFC 9110 §13.1.2 prescribes for it. */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  return ifNoneMatch.match(/"[^"]*"/g)?.includes(opaque) ?? false;
}

/** Adds Accept-Encoding to a Vary header value (keeping what a route put there). */
export function varyOnAcceptEncoding(vary: string | null): string {
  if (!vary) return 'Accept-Encoding';
  if (vary.split(',').some((v) => ['accept-encoding', '*'].includes(v.trim().toLowerCase()))) return vary;
  return `${vary}, Accept-Encoding`;
}

/**
 * Whether a header of a 200 is also sent on the 304 that stands for it: everything but the body's own
 * metadata (RFC 9110 §15.4.5: Cache-Control, ETag, Vary and the rest of what guides caches stay; the
 * security headers stay too, as on every response).
 */
export function keptOnNotModified(name: string): boolean {
  return !BODY_HEADERS.has(name.toLowerCase());
}
const BODY_HEADERS = new Set(['content-length', 'content-type', 'content-encoding', 'content-language', 'content-range']);
