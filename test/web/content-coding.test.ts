import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { negotiateCoding } from '../../src/web/content-coding.ts';
import { rawRequest, type RawResponse } from '../helpers/raw-http.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer(3);
  base = prepared.server.url;
});
after(() => prepared.close());

const decode = (r: RawResponse): Buffer => {
  const coding = r.headers['content-encoding'];
  if (coding === 'br') return zlib.brotliDecompressSync(r.body);
  if (coding === 'gzip') return zlib.gunzipSync(r.body);
  assert.equal(coding, undefined, `unexpected coding ${coding}`);
  return r.body;
};

const BROWSER = 'gzip, deflate, br, zstd';
// The digest (page cache on SQLite), an uncached page, a search, the API, feeds, the stylesheet.
const LARGE = ['/', `/papers/${HOSTILE_PAPER.record.id}`, '/search?q=learning', '/api/v1/digest', '/api/v1/openapi.json', '/feeds/digest.atom', '/feeds/digest.rss', '/assets/style.css'];

test('Accept-Encoding is negotiated by q-value, br before gzip on a tie, identity otherwise', () => {
  assert.equal(negotiateCoding(undefined), 'identity');
  assert.equal(negotiateCoding(''), 'identity');
  assert.equal(negotiateCoding(BROWSER), 'br');
  assert.equal(negotiateCoding('gzip, deflate'), 'gzip');
  assert.equal(negotiateCoding('br;q=0.5, gzip'), 'gzip');
  assert.equal(negotiateCoding('GZIP;q=0.9, BR;q=0.8'), 'gzip');
  assert.equal(negotiateCoding('*'), 'br');
  assert.equal(negotiateCoding('br;q=0, *;q=0.1'), 'gzip');
  assert.equal(negotiateCoding('br;q=0, gzip;q=0'), 'identity');
  assert.equal(negotiateCoding('identity;q=0, *;q=0'), 'identity', 'nothing acceptable: identity rather than no answer');
  assert.equal(negotiateCoding('deflate, zstd'), 'identity');
});

test('large text responses come in the accepted coding, decoding to the identity bytes, with Vary and their own Content-Length', async () => {
  for (const path of LARGE) {
    const identity = await rawRequest(base + path);
    assert.equal(identity.status, 200, path);
    assert.equal(identity.headers['content-encoding'], undefined, `${path}: no Accept-Encoding, no coding`);
    assert.equal(identity.headers.vary, 'Accept-Encoding', path);
    assert.equal(Number(identity.headers['content-length']), identity.body.byteLength, path);
    assert.match(identity.headers.etag ?? '', /^"[0-9a-f]{40}"$/, `${path}: the identity body has a strong ETag`);
    assert.ok(identity.body.byteLength >= 1024, `${path} is large enough to compress (${identity.body.byteLength} bytes)`);
    const etags = new Set([identity.headers.etag]);
    for (const [accept, coding] of [[BROWSER, 'br'], ['gzip;q=1, br;q=0.5', 'gzip'], ['identity', undefined]] as const) {
      const coded = await rawRequest(base + path, { 'Accept-Encoding': accept });
      assert.equal(coded.status, 200, path);
      assert.equal(coded.headers['content-encoding'], coding, `${path} with ${accept}`);
      assert.equal(coded.headers.vary, 'Accept-Encoding', path);
      assert.equal(Number(coded.headers['content-length']), coded.body.byteLength, `${path} ${coding}: Content-Length is the coded length`);
      assert.equal(coded.headers['content-type'], identity.headers['content-type'], path);
      assert.equal(coded.headers['cache-control'], identity.headers['cache-control'], path);
      assert.ok(decode(coded).equals(identity.body), `${path} ${coding}: decodes to the identity body`);
      if (coding) assert.ok(coded.body.byteLength < identity.body.byteLength / 2, `${path} ${coding}: ${coded.body.byteLength} of ${identity.body.byteLength} bytes`);
      if (coding) assert.match(coded.headers.etag ?? '', new RegExp(`^W/"[0-9a-f]{40}-${coding}"$`), path);
      etags.add(coded.headers.etag);
    }
    assert.equal(etags.size, 3, `${path}: one ETag per coding`);
  }
});

test('If-None-Match answers 304 for the representation it names, with the headers of the 200 and no body', async () => {
  for (const path of LARGE) {
    const br = await rawRequest(base + path, { 'Accept-Encoding': BROWSER });
    const etag = br.headers.etag!;
    const notModified = await rawRequest(base + path, { 'Accept-Encoding': BROWSER, 'If-None-Match': etag });
    assert.equal(notModified.status, 304, path);
    assert.equal(notModified.body.byteLength, 0);
    assert.equal(notModified.headers.etag, etag, path);
    assert.equal(notModified.headers.vary, 'Accept-Encoding', path);
    assert.equal(notModified.headers['cache-control'], br.headers['cache-control'], path);
    // The body's own metadata is not sent (one rule for pages from the cache and the rest, like /assets/style.css).
    for (const name of ['content-type', 'content-encoding', 'content-length']) assert.equal(notModified.headers[name], undefined, `${path}: no ${name} on the 304`);
    assert.equal(notModified.headers['x-content-type-options'], 'nosniff', `${path}: security headers stay`);
    // A list, and the weak form of the tag, match as well (the weak comparison of RFC 9110).
    assert.equal((await rawRequest(base + path, { 'Accept-Encoding': BROWSER, 'If-None-Match': `"0000", ${etag.replace(/^W\//, '')}` })).status, 304, path);
    // The same tag from a client that now takes gzip names another representation: a full answer.
    const gzip = await rawRequest(base + path, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
    assert.equal(gzip.status, 200, path);
    assert.equal(gzip.headers['content-encoding'], 'gzip', path);
    const identity = await rawRequest(base + path);
    assert.equal((await rawRequest(base + path, { 'If-None-Match': identity.headers.etag! })).status, 304, path);
    assert.equal((await rawRequest(base + path, { 'Accept-Encoding': BROWSER, 'If-None-Match': identity.headers.etag! })).status, 200, path);
  }
});

test('HEAD carries the headers GET would send in the same coding, without the body', async () => {
  for (const path of ['/', `/papers/${HOSTILE_PAPER.record.id}`, '/api/v1/digest', '/feeds/digest.atom']) {
    for (const accept of [BROWSER, 'gzip', undefined]) {
      const headers: Record<string, string> = accept ? { 'Accept-Encoding': accept } : {};
      const get = await rawRequest(base + path, headers);
      const head = await rawRequest(base + path, headers, 'HEAD');
      assert.equal(head.status, 200, path);
      assert.equal(head.body.byteLength, 0, path);
      for (const name of ['content-encoding', 'content-length', 'content-type', 'etag', 'vary', 'cache-control']) {
        assert.equal(head.headers[name], get.headers[name], `HEAD ${path} (${accept}): ${name}`);
      }
    }
  }
});

test('small bodies and errors stay as they are; security headers on every coding', async () => {
  const health = await rawRequest(`${base}/healthz`, { 'Accept-Encoding': BROWSER });
  assert.equal(health.status, 200);
  assert.ok(health.body.byteLength < 1024);
  assert.equal(health.headers['content-encoding'], undefined);
  assert.equal(health.headers.vary, undefined, 'a body too small to compress is the same for every Accept-Encoding');
  const missing = await rawRequest(`${base}/api/v1/papers/2606.00000`, { 'Accept-Encoding': BROWSER });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.etag, undefined);
  assert.equal(missing.headers['cache-control'], 'no-store');
  for (const accept of [BROWSER, 'gzip', 'identity']) {
    const page = await rawRequest(`${base}/`, { 'Accept-Encoding': accept });
    assert.equal(page.headers['x-content-type-options'], 'nosniff', accept);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/, accept);
  }
});
