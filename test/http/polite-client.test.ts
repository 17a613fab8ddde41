import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  HttpError,
  HttpStatusError,
  HttpTimeoutError,
  NetworkError,
  RateLimitedError,
} from '../../src/http/errors.ts';
import {
  createMemoryValidatorCache,
  createPoliteClient,
  type ClientEvent,
  type PoliteClientOptions,
} from '../../src/http/polite-client.ts';
import { gapsBetween, startScriptedServer, type ScriptedServer } from './scripted-server.ts';

/** Small numbers so the suite is fast; each test overrides what it is about. */
function testOptions(overrides: Partial<PoliteClientOptions> = {}): PoliteClientOptions {
  return {
    name: 'test',
    minIntervalMs: 10,
    timeoutMs: 1000,
    maxRetries: 3,
    baseBackoffMs: 20,
    maxBackoffMs: 200,
    userAgent: 'papersift-test/0 (+https://example.org)',
    ...overrides,
  };
}

/** A retry `sleep` that returns at once and remembers what it was asked to wait. */
function instantSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

// Each server only ever serves the connections of its own test; the server-side observations
// (arrival times, concurrency) are what the politeness contract is about.
let server: ScriptedServer;
const hits = new Map<string, number>();
function hit(path: string): number {
  const count = (hits.get(path) ?? 0) + 1;
  hits.set(path, count);
  return count;
}

before(async () => {
  server = await startScriptedServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const count = hit(req.url ?? '');
    if (path.startsWith('/slow/')) {
      // Long enough that a second connection would overlap if the client allowed one.
      await new Promise((resolve) => setTimeout(resolve, 30));
      res.end(`item ${path}`);
    } else if (path === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(gzipSync('compressed hello'));
    } else if (path === '/retry-after-once') {
      if (count === 1) {
        res.writeHead(429, { 'Retry-After': '1' }).end('slow down');
      } else {
        res.end('thanks for waiting');
      }
    } else if (path === '/unavailable-twice') {
      if (count <= 2) res.writeHead(503).end('busy');
      else res.end('recovered');
    } else if (path === '/unavailable') {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Service Unavailable: arXiv is down for maintenance');
    } else if (path === '/broken') {
      res.writeHead(500).end('stack trace');
    } else if (path === '/missing' || path === '/secret') {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end(`<html><body>${'Not found. '.repeat(100)}</body></html>`);
    } else if (path === '/hang') {
      // Never answers.
    } else if (path === '/stall-body') {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('the first bytes');
    } else if (path === '/truncated-once' || path === '/truncated') {
      if (path === '/truncated-once' && count > 1) {
        res.end('complete body');
        return;
      }
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('0123456789', () => res.destroy());
    } else if (path === '/etag') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' }).end();
      } else {
        res.writeHead(200, { ETag: '"v1"' }).end('etag body');
      }
    } else if (path === '/last-modified') {
      const lastModified = 'Tue, 02 Jun 2026 20:00:00 GMT';
      if (req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304).end();
      } else {
        res.writeHead(200, { 'Last-Modified': lastModified }).end('feed body');
      }
    } else if (path === '/retry-after-hour') {
      res.writeHead(503, { 'Retry-After': '3600' }).end('come back later');
    } else if (path === '/retry-after-date') {
      res.writeHead(429, { 'Retry-After': new Date(Date.now() + 2 * 3600_000).toUTCString() }).end('tomorrow');
    } else {
      res.end('ok');
    }
  });
});

after(async () => {
  await server.close();
});

describe('spacing and concurrency', () => {
  test('5 concurrent callers: starts ≥ minIntervalMs apart, one request in flight, FIFO', async () => {
    const minIntervalMs = 100;
    const client = createPoliteClient(testOptions({ minIntervalMs }));
    const paths = [0, 1, 2, 3, 4].map((index) => `/slow/${index}`);
    // Node loads its fetch implementation on first use (~10 ms); warm it up so that the server-side
    // gaps measure the client's spacing, not that one-time delay between fetch() and the wire.
    await createPoliteClient(testOptions()).get(`${server.baseUrl}/warm-up`);
    const before = server.received.length;
    const calledAt = performance.now();

    const results = await Promise.all(paths.map((path) => client.get(`${server.baseUrl}${path}`)));

    assert.deepEqual(results.map((result) => result.body), paths.map((path) => `item ${path}`));
    const arrivals = server.received.slice(before);
    assert.deepEqual(arrivals.map((request) => request.path), paths, 'served in the order asked');
    assert.equal(server.maxInFlight, 1, 'never two requests in flight at once');
    // The client spaces its fetch() calls exactly (see start-gate.test.ts), so the last request cannot
    // reach the server before (n-1) intervals after the calls were made: a bound that no wire jitter can
    // break. (Measuring first-to-last arrival instead failed in CI at 388.9 ms: a late first arrival
    // shortens that span.) Each single gap must still be far above the ~30 ms (the server's response
    // time) that unspaced requests would show, allowing for jitter between fetch() and the socket.
    const lastArrival = arrivals.at(-1)?.at ?? Number.NaN;
    const sinceCalls = lastArrival - calledAt;
    assert.ok(sinceCalls >= (paths.length - 1) * minIntervalMs, `the last request reached the server ${sinceCalls.toFixed(1)} ms after the calls`);
    const gaps = gapsBetween(arrivals.map((request) => request.at));
    for (const gap of gaps) assert.ok(gap >= minIntervalMs / 2, `server saw requests ${gap.toFixed(1)} ms apart`);
  });

  test('sends the identifying User-Agent and Accept-Encoding: gzip, and decodes gzip bodies', async () => {
    const client = createPoliteClient(testOptions());
    const result = await client.get(`${server.baseUrl}/gzip`);
    assert.equal(result.body, 'compressed hello');
    const [request] = server.receivedFor('/gzip');
    assert.equal(request?.headers['user-agent'], 'papersift-test/0 (+https://example.org)');
    assert.equal(request?.headers['accept-encoding'], 'gzip');
  });
});

describe('retries', () => {
  test('429 with Retry-After: 1 waits at least 1 s (for every caller of the client), then succeeds', async () => {
    const client = createPoliteClient(testOptions());
    const limited = client.get(`${server.baseUrl}/retry-after-once`);
    // A second caller of the same client must not slip in while the server asked us to wait.
    const other = client.get(`${server.baseUrl}/other-during-hold`);

    const [result] = await Promise.all([limited, other]);

    assert.equal(result.body, 'thanks for waiting');
    const [first, second] = server.receivedFor('/retry-after-once');
    assert.ok(first && second);
    assert.ok(second.at - first.at >= 1000, `retried after ${(second.at - first.at).toFixed(0)} ms`);
    const [otherRequest] = server.receivedFor('/other-during-hold');
    assert.ok(otherRequest && otherRequest.at - first.at >= 1000, 'the other caller was held as well');
  });

  test('503 twice then 200: success on the third attempt, exponential backoff with full jitter', async () => {
    const { sleep, waits } = instantSleep();
    const events: ClientEvent[] = [];
    const client = createPoliteClient(testOptions({ sleep, random: () => 0.5, baseBackoffMs: 20, onEvent: (event) => events.push(event) }));

    const result = await client.get(`${server.baseUrl}/unavailable-twice`);

    assert.equal(result.status, 200);
    assert.equal(result.body, 'recovered');
    assert.equal(server.receivedFor('/unavailable-twice').length, 3);
    assert.deepEqual(waits, [10, 20], 'random() × 20·2^0, then random() × 20·2^1');
    assert.deepEqual(
      events.filter((event) => event.type === 'retry').map(({ attempt, status, waitMs }) => ({ attempt, status, waitMs })),
      [{ attempt: 1, status: 503, waitMs: 10 }, { attempt: 2, status: 503, waitMs: 20 }],
    );
  });

  test('503 forever: RateLimitedError after maxRetries + 1 attempts, naming the URL and attempts', async () => {
    const { sleep, waits } = instantSleep();
    const events: ClientEvent[] = [];
    const client = createPoliteClient(testOptions({ sleep, maxRetries: 3, maxBackoffMs: 30, onEvent: (event) => events.push(event) }));
    const url = `${server.baseUrl}/unavailable`;

    const error = await rejection(client.get(url));

    assert.ok(error instanceof RateLimitedError);
    assert.ok(error instanceof HttpStatusError && error instanceof HttpError);
    assert.equal(error.status, 503);
    assert.equal(error.attempts, 4);
    assert.equal(error.retryAfterMs, null);
    assert.equal(error.url, url);
    assert.match(error.message, new RegExp(`^GET ${url} failed with HTTP 503 after 4 attempts \\(retries exhausted\\)$`));
    assert.equal(error.bodyExcerpt, 'Service Unavailable: arXiv is down for maintenance');
    assert.equal(server.receivedFor('/unavailable').length, 4);
    assert.ok(waits.every((wait) => wait >= 0 && wait <= 30), 'backoff capped at maxBackoffMs');
    assert.deepEqual(events.at(-1), { type: 'give-up', client: 'test', url, attempt: 4, status: 503, reason: 'HTTP 503' });
  });

  test('500 forever: a plain HttpStatusError (not rate limiting)', async () => {
    const client = createPoliteClient(testOptions({ sleep: instantSleep().sleep, maxRetries: 1 }));
    const error = await rejection(client.get(`${server.baseUrl}/broken`));
    assert.ok(error instanceof HttpStatusError);
    assert.ok(!(error instanceof RateLimitedError));
    assert.equal(error.attempts, 2);
    assert.equal(server.receivedFor('/broken').length, 2);
  });

  test('404: HttpStatusError at once, no retry, body excerpt ≤ 500 characters', async () => {
    const { sleep, waits } = instantSleep();
    const client = createPoliteClient(testOptions({ sleep }));
    const error = await rejection(client.get(`${server.baseUrl}/missing`));
    assert.ok(error instanceof HttpStatusError);
    assert.ok(!(error instanceof RateLimitedError));
    assert.equal(error.status, 404);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /failed with HTTP 404 after 1 attempt \(not retryable\)/);
    assert.ok(error.bodyExcerpt.startsWith('<html><body>Not found.'));
    assert.equal(error.bodyExcerpt.length, 500);
    assert.equal(server.receivedFor('/missing').length, 1);
    assert.deepEqual(waits, []);
  });

  test('Retry-After beyond the cap: gives up at once with the wait the server asked for', async () => {
    const { sleep, waits } = instantSleep();
    const client = createPoliteClient(testOptions({ sleep }));

    const error = await rejection(client.get(`${server.baseUrl}/retry-after-hour`));
    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /Retry-After of 3600 s exceeds the 600 s cap/);

    const dated = await rejection(client.get(`${server.baseUrl}/retry-after-date`));
    assert.ok(dated instanceof RateLimitedError && dated.status === 429);
    assert.ok(dated.retryAfterMs !== null && dated.retryAfterMs > 7_000_000, 'HTTP-date Retry-After understood');

    assert.equal(server.receivedFor('/retry-after-hour').length, 1);
    assert.equal(server.receivedFor('/retry-after-date').length, 1);
    assert.deepEqual(waits, []);
  });
});

describe('timeouts and broken connections', () => {
  test('a server that never answers: HttpTimeoutError after every retry', async () => {
    const { sleep } = instantSleep();
    const client = createPoliteClient(testOptions({ sleep, timeoutMs: 100, maxRetries: 2 }));
    const startedAt = performance.now();

    const error = await rejection(client.get(`${server.baseUrl}/hang`));

    assert.ok(error instanceof HttpTimeoutError);
    assert.equal(error.attempts, 3);
    assert.equal(error.status, undefined);
    assert.match(error.message, /timed out \(no complete response within 100 ms\) after 3 attempts; last status: none/);
    assert.equal(server.receivedFor('/hang').length, 3);
    assert.ok(performance.now() - startedAt >= 290, "each attempt waited its full time limit");
  });

  test('the timeout covers the body, not just the headers', async () => {
    const client = createPoliteClient(testOptions({ timeoutMs: 150, maxRetries: 0 }));
    const error = await rejection(client.get(`${server.baseUrl}/stall-body`));
    assert.ok(error instanceof HttpTimeoutError);
    assert.equal(error.attempts, 1);
  });

  test('socket destroyed mid-body (Content-Length 1000, 10 bytes sent): NetworkError, retried', async () => {
    const { sleep } = instantSleep();
    const events: ClientEvent[] = [];
    const client = createPoliteClient(testOptions({ sleep, maxRetries: 2, onEvent: (event) => events.push(event) }));

    const recovered = await client.get(`${server.baseUrl}/truncated-once`);
    assert.equal(recovered.body, 'complete body');
    assert.equal(server.receivedFor('/truncated-once').length, 2);
    const retry = events.find((event) => event.type === 'retry');
    assert.match(retry?.reason ?? '', /^network error \(terminated: UND_ERR_SOCKET: other side closed\)$/);

    const error = await rejection(client.get(`${server.baseUrl}/truncated`));
    assert.ok(error instanceof NetworkError);
    assert.equal(error.attempts, 3);
    assert.equal(error.code, 'UND_ERR_SOCKET');
    assert.equal(error.status, 200, 'the last status is still reported');
    assert.match(error.message, /network error \(terminated: .*\) after 3 attempts; last status: 200/);
    assert.equal(server.receivedFor('/truncated').length, 3);
  });

  test('connection refused: NetworkError after retries', async () => {
    const closed = await startScriptedServer(() => undefined);
    await closed.close();
    const client = createPoliteClient(testOptions({ sleep: instantSleep().sleep, maxRetries: 1 }));
    const error = await rejection(client.get(`${closed.baseUrl}/feed`));
    assert.ok(error instanceof NetworkError);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.attempts, 2);
  });
});

describe('conditional requests', () => {
  test('ETag round trip: the second call sends If-None-Match and gets a 304 from cache', async () => {
    const client = createPoliteClient(testOptions({ validators: createMemoryValidatorCache() }));
    const url = `${server.baseUrl}/etag`;

    const first = await client.get(url);
    const second = await client.get(url);

    assert.deepEqual(first, { status: 200, url, body: 'etag body', etag: '"v1"', lastModified: null, fromCache: false });
    assert.deepEqual(second, { status: 304, url, body: null, etag: '"v1"', lastModified: null, fromCache: true });
    const [firstRequest, secondRequest] = server.receivedFor('/etag');
    assert.equal(firstRequest?.headers['if-none-match'], undefined);
    assert.equal(secondRequest?.headers['if-none-match'], '"v1"');
  });

  test('Last-Modified round trip: the second call sends If-Modified-Since and gets a 304', async () => {
    const validators = createMemoryValidatorCache();
    const client = createPoliteClient(testOptions({ validators }));
    const url = `${server.baseUrl}/last-modified`;
    const lastModified = 'Tue, 02 Jun 2026 20:00:00 GMT';

    const first = await client.get(url);
    const second = await client.get(url);

    assert.equal(first.body, 'feed body');
    assert.equal(first.lastModified, lastModified);
    assert.deepEqual(await validators.get(url), { etag: null, lastModified });
    assert.deepEqual(second, { status: 304, url, body: null, etag: null, lastModified, fromCache: true });
    assert.equal(server.receivedFor('/last-modified')[1]?.headers['if-modified-since'], lastModified);
  });

  test('without a validator cache, requests are unconditional', async () => {
    const client = createPoliteClient(testOptions());
    await client.get(`${server.baseUrl}/etag?plain`);
    const second = await client.get(`${server.baseUrl}/etag?plain`);
    assert.equal(second.status, 200);
    assert.equal(server.receivedFor('/etag?plain')[1]?.headers['if-none-match'], undefined);
  });
});

describe('redaction', () => {
  test('API keys, tokens and contact e-mails never appear in errors or events', async () => {
    const events: ClientEvent[] = [];
    const client = createPoliteClient(testOptions({ onEvent: (event) => events.push(event) }));
    const secretUrl = `${server.baseUrl}/secret?query=cat:cs.LG+AND+ti:diffusion&api_key=SECRETKEY&mailto=me%40example.org&token=TOKEN123`;

    const error = await rejection(client.get(secretUrl));

    assert.ok(error instanceof HttpStatusError);
    const expectedUrl = `${server.baseUrl}/secret?query=cat:cs.LG+AND+ti:diffusion&api_key=REDACTED&mailto=REDACTED&token=REDACTED`;
    assert.equal(error.url, expectedUrl);
    assert.ok(error.message.includes(expectedUrl), error.message);
    const everything = `${error.message} ${error.url} ${JSON.stringify(events)}`;
    for (const secret of ['SECRETKEY', 'me%40example.org', 'TOKEN123']) assert.ok(!everything.includes(secret), `leaked ${secret}`);
  });
});
