import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARXIV_HTTP_POLICY, createArxivHttpClient } from '../../src/arxiv/http-client.ts';
import { startScriptedServer } from '../http/scripted-server.ts';

test("arXiv's policy: one request every 3 s, one connection, 60 s timeout, 5 retries backing off 5 s to 5 min", () => {
  assert.deepEqual(ARXIV_HTTP_POLICY, {
    name: 'arxiv',
    minIntervalMs: 3000,
    maxConcurrent: 1,
    timeoutMs: 60_000,
    maxRetries: 5,
    baseBackoffMs: 5000,
    maxBackoffMs: 300_000,
    userAgent: 'papersift/0.1 (+https://github.com/papersift/papersift)',
  });
});

test('the arXiv client identifies itself, and tests can override the policy', async () => {
  const server = await startScriptedServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/atom+xml' }).end('<feed/>');
  });
  try {
    const client = createArxivHttpClient({ minIntervalMs: 10, timeoutMs: 1000, maxRetries: undefined });
    const result = await client.get(`${server.baseUrl}/api/query?id_list=2606.14721`);
    assert.equal(result.body, '<feed/>');
    assert.equal(server.received[0]?.headers['user-agent'], 'papersift/0.1 (+https://github.com/papersift/papersift)');
  } finally {
    await server.close();
  }
});
