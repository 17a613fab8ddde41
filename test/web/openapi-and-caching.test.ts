import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { personalDigests } from '../../src/web/readers/personal-digest.ts';
import { createApiV1 } from '../../src/web/api-v1.ts';
import { CACHE_CONTROL } from '../../src/web/caching.ts';
import { MAX_BODY_BYTES } from '../../src/web/limits.ts';
import { startWebServer } from '../../src/web/server.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer(3);
  base = prepared.server.url;
});
after(() => prepared.close());

interface ResponseDoc {
  headers?: Record<string, { required?: boolean; schema: { type: string; minimum?: number } }>;
  content?: { 'application/json': { schema: { $ref?: string; required?: string[] } } };
}
interface Operation {
  parameters?: Array<{ name: string; in: 'path' | 'query'; required: boolean; schema: { example?: unknown } }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, ResponseDoc>;
}
interface OpenApi {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[] }> };
}

async function loadDocument(): Promise<OpenApi> {
  const response = await fetchApi(`${base}/api/v1/openapi.json`);
  assert.equal(response.status, 200);
  return (await response.json()) as OpenApi;
}

test('every documented operation answers with a documented status and the documented fields', async () => {
  const doc = await loadDocument();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.servers[0]!.url, '/api/v1');
  let operations = 0;
  // Stored ids for path parameters (the examples may not be stored): a paper, and one of its authors.
  const paper = (await (await fetchApi(`${base}/api/v1/papers/${HOSTILE_PAPER.record.id}`)).json()) as { authors: Array<{ id: number }> };
  const storedId = (path: string) => (path.startsWith('/authors/') ? String(paper.authors[0]!.id) : HOSTILE_PAPER.record.id);
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations += 1;
      const url = path.replace(/\{(\w+)\}/g, () => storedId(path));
      const query = new URLSearchParams();
      for (const p of operation.parameters ?? []) if (p.in === 'query' && p.schema.example !== undefined) query.set(p.name, String(p.schema.example));
      // A documented request body is sent as its example, with the stored paper for any arXiv id in it.
      const example = operation.requestBody?.content['application/json']?.example;
      const sent = example === undefined ? undefined : JSON.stringify(example).replace(/\d{4}\.\d{4,5}(v\d+)?/g, HOSTILE_PAPER.record.id);
      const response = await fetchApi(`${base}/api/v1${url}?${query}`, { method: method.toUpperCase(), ...(sent ? { body: sent, headers: { 'Content-Type': 'application/json' } } : {}) });
      assert.ok(String(response.status) in operation.responses, `${method} ${path} answered ${response.status}, documented: ${Object.keys(operation.responses)}`);
      assert.equal(response.status, 200, `${method} ${url}?${query} answers with its examples`);
      // A citation export answers in the media type of its format (fetchApi checked the body against it).
      if (!operation.responses['200']!.content!['application/json']) {
        assert.ok(response.headers.get('content-type')!.split(';')[0]! in operation.responses['200']!.content!, `${path}: a documented media type`);
        continue;
      }
      const body = (await response.json()) as Record<string, unknown>;
      const ref = operation.responses['200']!.content!['application/json'].schema.$ref;
      const schema = ref ? doc.components.schemas[ref.split('/').at(-1)!] : undefined;
      for (const key of schema?.required ?? []) assert.ok(key in body, `${path} answers ${key}`);
    }
  }
  assert.ok(operations >= 4);
});

test('every route of /api/v1 is documented', async () => {
  const doc = await loadDocument();
  const routes = createApiV1(prepared.ctx, personalDigests(prepared.ctx))
    .routes.filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
  assert.deepEqual([...new Set(routes)].sort(), documented.sort());
});

test('every operation documents the 429 of the rate limit with Retry-After, and answers it so; 413 as documented', async () => {
  const doc = await loadDocument();
  const errorRequired = (r: ResponseDoc) => doc.components.schemas[r.content!['application/json'].schema.$ref!.split('/').at(-1)!]!.required ?? [];
  // The same store behind a server whose limit is one request a minute: the first request of the
  // client takes the only token, every later one (any route of the API) is refused.
  const limited = await startWebServer({ ...prepared.ctx, config: { ...prepared.ctx.config, rateLimit: { perMinute: 1, burst: 1, trustProxy: false } } }, { port: 0, host: '127.0.0.1' });
  try {
    assert.equal((await fetchApi(`${limited.url}/api/v1/openapi.json`)).status, 200);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const documented = operation.responses['429'];
        assert.ok(documented, `${method} ${path} documents 429`);
        const retryAfter = documented.headers?.['Retry-After'];
        assert.equal(retryAfter?.required, true, `${method} ${path}: Retry-After documented`);
        assert.equal(retryAfter?.schema.type, 'integer');
        const response = await fetchApi(`${limited.url}/api/v1${path.replace(/\{(\w+)\}/g, '1')}`, { method: method.toUpperCase() });
        assert.equal(response.status, 429, `${method} ${path}`);
        const seconds = Number(response.headers.get('retry-after'));
        assert.ok(Number.isInteger(seconds) && seconds >= (retryAfter?.schema.minimum ?? 0), `${method} ${path}: Retry-After ${response.headers.get('retry-after')}`);
        const body = (await response.json()) as { error: { status: number; message: string } };
        assert.equal(body.error.status, 429);
        for (const key of errorRequired(documented)) assert.ok(key in body, `429 answers ${key}`);
      }
    }
  } finally {
    await limited.close();
  }
  // 413 answers any request with a body over the limit, before routing, in the documented shape.
  const tooLarge = doc.paths['/digest']!.get!.responses['413'];
  assert.ok(tooLarge, '413 is documented');
  const refused = await fetchApi(`${base}/api/v1/digest`, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1) });
  assert.equal(refused.status, 413);
  const body = (await refused.json()) as Record<string, unknown>;
  for (const key of errorRequired(tooLarge)) assert.ok(key in body, `413 answers ${key}`);
});

const CACHED = ['/', '/search?q=learning', `/papers/${HOSTILE_PAPER.record.id}`, '/api/v1/digest', '/api/v1/search?q=learning', `/api/v1/papers/${HOSTILE_PAPER.record.id}`, '/feeds/digest.atom', '/api/v1/openapi.json'];

test('pages, feeds and the API carry ETag and Cache-Control, and answer 304 to a matching If-None-Match', async () => {
  for (const path of CACHED) {
    const first = await fetchApi(base + path);
    assert.equal(first.status, 200, path);
    const tag = first.headers.get('etag');
    // fetch accepts gzip: a coded representation, whose ETag is weak and names its coding (content-coding.test.ts).
    assert.match(tag ?? '', /^W\/"[0-9a-f]{40}-gzip"$/, `${path} has the ETag of its gzip representation`);
    assert.equal(first.headers.get('cache-control'), CACHE_CONTROL);
    const body = await first.text();
    const again = await fetchApi(base + path, { headers: { 'If-None-Match': tag! } });
    assert.equal(again.status, 304, path);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), tag);
    assert.equal(again.headers.get('cache-control'), CACHE_CONTROL);
    const other = await fetchApi(base + path, { headers: { 'If-None-Match': '"0000"' } });
    assert.equal(other.status, 200);
    assert.equal(await other.text(), body, `${path} is the same while nothing changed`);
  }
});

test('the ETag changes with the content, errors and POSTs are not cached', async () => {
  const a = (await fetchApi(`${base}/api/v1/search?q=learning`)).headers.get('etag');
  const b = (await fetchApi(`${base}/api/v1/search?q=learning&perPage=3`)).headers.get('etag');
  assert.notEqual(a, b);
  for (const path of ['/api/v1/papers/2606.00000', '/nowhere', '/api/v1/search?q=x&page=0']) {
    const response = await fetchApi(base + path);
    assert.ok(response.status >= 400);
    assert.equal(response.headers.get('etag'), null, path);
    assert.equal(response.headers.get('cache-control'), 'no-store', path);
  }
  const post = await fetchApi(`${base}/admin/ingest`, { method: 'POST' });
  assert.equal(post.headers.get('cache-control'), 'no-store');
});
