import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from '../../src/http/redact-url.ts';
import { backoffDelayMs, isRateLimitStatus, isRetryableStatus, parseRetryAfterMs } from '../../src/http/retry-policy.ts';

test('Retry-After is read as delay-seconds or as an HTTP date', () => {
  const now = Date.parse('2026-06-02T20:00:00Z');
  assert.equal(parseRetryAfterMs('1', now), 1000);
  assert.equal(parseRetryAfterMs(' 120 ', now), 120_000);
  assert.equal(parseRetryAfterMs('Tue, 02 Jun 2026 20:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfterMs('Tue, 02 Jun 2026 19:00:00 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfterMs(null, now), null);
  assert.equal(parseRetryAfterMs('soon', now), null);
  assert.equal(parseRetryAfterMs('-5', now), null);
  assert.equal(parseRetryAfterMs(undefined, now), null);
  assert.equal(parseRetryAfterMs('1.5', now), 1500, 'fractional seconds are honoured');
});

test('backoff doubles per retry, is capped, and is fully jittered', () => {
  const top = () => 0.999999;
  assert.equal(backoffDelayMs(0, 5000, 300_000, top), 4999);
  assert.equal(backoffDelayMs(3, 5000, 300_000, top), 39_999);
  assert.equal(backoffDelayMs(10, 5000, 300_000, top), 299_999, 'capped at maxBackoffMs');
  assert.equal(backoffDelayMs(3, 5000, 300_000, () => 0), 0, 'full jitter reaches down to zero');
  assert.equal(backoffDelayMs(1, 20, 1000, () => 0.5), 20);
});

test('which statuses are retried, and which mean rate limiting', () => {
  assert.deepEqual([408, 429, 500, 502, 503, 504, 529].map(isRetryableStatus), [true, true, true, true, true, true, true]);
  assert.deepEqual([400, 401, 403, 404, 409, 410, 501, 505].map(isRetryableStatus), [false, false, false, false, false, false, false, false]);
  assert.deepEqual([429, 503, 500, 502].map(isRateLimitStatus), [true, true, false, false]);
});

test('URLs are redacted for logs: secret query values and credentials only, the rest untouched', () => {
  assert.equal(
    redactUrl('https://api.semanticscholar.org/graph/v1/paper/batch?fields=title,year&api_key=abc123'),
    'https://api.semanticscholar.org/graph/v1/paper/batch?fields=title,year&api_key=REDACTED',
  );
  assert.equal(
    redactUrl('https://api.openalex.org/works?filter=doi:10.1/x&mailto=me%40example.org&per-page=50'),
    'https://api.openalex.org/works?filter=doi:10.1/x&mailto=REDACTED&per-page=50',
  );
  assert.equal(
    redactUrl('https://user:pw@example.org/a?Key=1&TOKEN=2&access_token=3&apiKey=4&keyword=diffusion#frag'),
    'https://REDACTED@example.org/a?Key=REDACTED&TOKEN=REDACTED&access_token=REDACTED&apiKey=REDACTED&keyword=diffusion#frag',
  );
  const arxivQuery = 'http://export.arxiv.org/api/query?search_query=cat:cs.LG+AND+submittedDate:[202606010000+TO+202606020000]&start=0&max_results=200';
  assert.equal(redactUrl(arxivQuery), arxivQuery);
});
