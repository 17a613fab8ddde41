/**
 * The MCP server driven by the SDK's own client over both transports: stdio through the compiled
 * CLI (`papersift mcp`, a child process on the same store) and Streamable HTTP at /mcp of a real
 * server on loopback, on either backend. Every tool's answer is compared with the JSON API's, errors
 * are MCP errors with clear messages, and the HTTP endpoint checks Origin and takes the rate limit.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createApp } from '../../src/web/app.tsx';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';

const ALLOWED_ORIGIN = 'https://chat.example.org';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;
const clients: Record<'stdio' | 'http', Client> = {} as Record<'stdio' | 'http', Client>;
let stderr = '';

before(async () => {
  prepared = await startPreparedServer(20, { PAPERSIFT_MCP_ORIGINS: ALLOWED_ORIGIN });
  base = prepared.server.url;
  const database = prepared.ctx.config.database;
  const stdio = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    env: { ...getDefaultEnvironment(), ...OFFLINE_ENV, DATABASE_URL: database.dialect === 'sqlite' ? database.file : database.url, LOG_LEVEL: 'warn' },
    stderr: 'pipe',
  });
  stdio.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  clients.stdio = new Client({ name: 'papersift-test', version: '1.0.0' });
  await clients.stdio.connect(stdio);
  clients.http = new Client({ name: 'papersift-test', version: '1.0.0' });
  await clients.http.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`)));
});
after(async () => {
  await clients.stdio?.close();
  await clients.http?.close();
  await prepared.close();
});

const api = async (path: string) => (await fetch(base + path)).json() as Promise<any>;

type ToolResult = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> };
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolResult;

const textOf = (content: { text?: string; blob?: string } | undefined) => {
  assert.equal(typeof content?.text, 'string', 'a text resource');
  return content!.text!;
};

function assertToolError(result: ToolResult, message: RegExp, what: string) {
  assert.equal(result.isError, true, `${what}: an error result`);
  assert.match(result.content[0]?.text ?? '', message, what);
}

for (const transport of ['stdio', 'http'] as const) {
  test(`${transport}: five public tools and (owner mode) the owner's two, each with an input schema and an output schema`, async () => {
    const { tools } = await clients[transport].listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['get_author', 'get_digest', 'get_paper', 'my_digest', 'save_paper', 'search_papers', 'similar_papers']);
    for (const tool of tools) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.equal(tool.outputSchema?.type, 'object', tool.name);
      assert.equal(tool.annotations?.readOnlyHint, tool.name !== 'save_paper', tool.name);
    }
  });

  test(`${transport}: get_digest and get_paper answer what the JSON API answers, as structured content and as JSON text`, async () => {
    const client = clients[transport];
    const digest = await api('/api/v1/digest');
    const latest = await call(client, 'get_digest');
    assert.ok(!latest.isError, latest.content[0]?.text);
    assert.equal(latest.structuredContent.date, digest.date);
    assert.deepEqual(latest.structuredContent.papers.map((p: { id: string }) => p.id), digest.papers.map((p: { id: string }) => p.id));
    assert.deepEqual(JSON.parse(latest.content[0]!.text!), latest.structuredContent);
    const limited = await call(client, 'get_digest', { date: digest.days[1], limit: 3 });
    assert.equal(limited.structuredContent.date, digest.days[1]);
    assert.equal(limited.structuredContent.papers.length, 3);

    const paper = await api(`/api/v1/papers/${HOSTILE_PAPER.record.id}`);
    const got = await call(client, 'get_paper', { id: `arXiv:${HOSTILE_PAPER.record.id}v1` });
    assert.equal(got.structuredContent.title, HOSTILE_PAPER.record.title);
    assert.equal(got.structuredContent.abstract, paper.abstract);
    assert.deepEqual(got.structuredContent.versions, paper.versions);
    assert.deepEqual(got.structuredContent.scores, paper.scores);
    assert.deepEqual(got.structuredContent.closestPriorPapers, paper.scoreDetails?.novelty.closest ?? []);
  });

  test(`${transport}: search_papers with filters, get_author and similar_papers (earlier and later agree)`, async () => {
    const client = clients[transport];
    const api_ = await api('/api/v1/search?q=learning&perPage=5&code=1');
    const found = await call(client, 'search_papers', { query: 'learning', perPage: 5, hasCode: true });
    assert.equal(found.structuredContent.total, api_.total);
    assert.deepEqual(found.structuredContent.hits.map((h: { paper: { id: string } }) => h.paper.id), api_.hits.map((h: { paper: { id: string } }) => h.paper.id));
    const byTag = await call(client, 'search_papers', { tag: 'Reinforcement Learning' });
    assert.ok(byTag.structuredContent.hits.every((h: { paper: { tags: string[] } }) => h.paper.tags.includes('Reinforcement Learning')));

    const paper = await api(`/api/v1/papers/${HOSTILE_PAPER.record.id}`);
    const author = await call(client, 'get_author', { id: paper.authors[0].id });
    assert.equal(author.structuredContent.name, HOSTILE_PAPER.record.authors[0]!.name);
    assert.ok(author.structuredContent.paperList.papers.some((p: { id: string }) => p.id === HOSTILE_PAPER.record.id));

    // A paper with earlier neighbours: its closest earlier paper lists it among its later ones.
    const digest = await api('/api/v1/digest');
    const scored = (await Promise.all(digest.papers.slice(0, 10).map((p: { id: string }) => api(`/api/v1/papers/${p.id}`)))).find((p) => p.scoreDetails?.novelty.closest.length > 0);
    assert.ok(scored, 'a paper of the digest has closest earlier papers');
    const similar = await call(client, 'similar_papers', { id: scored.id, limit: 3 });
    assert.deepEqual(similar.structuredContent.earlier, scored.scoreDetails.novelty.closest.slice(0, 3));
    const earliest = scored.scoreDetails.novelty.closest[0];
    const back = await call(client, 'similar_papers', { id: earliest.id, limit: 20 });
    assert.ok(back.structuredContent.later.some((p: { id: string; similarity: number }) => p.id === scored.id && p.similarity === earliest.similarity), `${earliest.id} lists ${scored.id} as later`);
  });

  test(`${transport}: errors are MCP errors that say what is wrong (unknown id, bad date, limits, no query)`, async () => {
    const client = clients[transport];
    assertToolError(await call(client, 'get_paper', { id: '2606.00000' }), /no paper 2606\.00000 in this papersift/, 'unknown paper');
    assertToolError(await call(client, 'get_paper', { id: 'not an id' }), /"not an id" is not an arXiv id/, 'not an id');
    assertToolError(await call(client, 'get_digest', { date: '2026-02-30' }), /date.*YYYY-MM-DD/s, 'impossible date');
    assertToolError(await call(client, 'get_digest', { date: '2020-01-06' }), /no digest for 2020-01-06: browsable days are/, 'a day outside the history');
    assertToolError(await call(client, 'get_author', { id: 2 ** 31 - 1 }), /no author 2147483647/, 'unknown author');
    assertToolError(await call(client, 'search_papers', {}), /give a query, or at least one filter/, 'nothing to search');
    assertToolError(await call(client, 'search_papers', { query: 'x', perPage: 26 }), /perPage/, 'over the page limit');
    assertToolError(await call(client, 'similar_papers', { id: '2606.14721', limit: 21 }), /limit/, 'over the similar limit');
    assertToolError(await call(client, 'search_papers', { query: 'x', from: '2026-06-26', to: '2026-06-01' }), /from must not be after to/, 'reversed range');
    assertToolError(await call(client, 'no_such_tool'), /Tool no_such_tool not found/, 'unknown tool');
  });

  test(`${transport}: resources for a day's digest and a paper`, async () => {
    const client = clients[transport];
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), ['papersift://digest/{date}', 'papersift://papers/{id}']);
    const digest = await api('/api/v1/digest');
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === `papersift://digest/${digest.date}`));
    assert.ok(resources.some((r) => r.uri === `papersift://papers/${digest.papers[0].id}`));
    const latest = await client.readResource({ uri: 'papersift://digest/latest' });
    assert.equal(JSON.parse(textOf(latest.contents[0])).date, digest.date);
    const paper = await client.readResource({ uri: `papersift://papers/${HOSTILE_PAPER.record.id}` });
    assert.equal(JSON.parse(textOf(paper.contents[0])).title, HOSTILE_PAPER.record.title);
    await assert.rejects(client.readResource({ uri: 'papersift://papers/2606.00000' }), /no paper 2606\.00000/);
    await assert.rejects(client.readResource({ uri: 'papersift://digest/yesterday' }), /not a date as YYYY-MM-DD/);
  });
}

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers }, body: INITIALIZE });

test('http: the Origin is checked against DNS rebinding: other sites refused, loopback and configured origins served', async () => {
  for (const origin of ['http://evil.example', `http://attacker.test:${new URL(base).port}`, 'null', 'http://localhost.evil.example']) {
    const refused = await post(`${base}/mcp`, { Origin: origin });
    assert.equal(refused.status, 403, origin);
    const body = (await refused.json()) as { jsonrpc: string; error: { message: string } };
    assert.equal(body.jsonrpc, '2.0');
    assert.match(body.error.message, /origin .* not allowed/);
  }
  for (const origin of [ALLOWED_ORIGIN, 'http://localhost:6274', 'http://127.0.0.1:5173', undefined]) {
    const served = await post(`${base}/mcp`, origin ? { Origin: origin } : {});
    assert.equal(served.status, 200, String(origin));
    assert.equal(((await served.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name, 'papersift');
  }
  const get = await fetch(`${base}/mcp`, { headers: { Accept: 'text/event-stream' } });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
});

test("http: /mcp takes the API's rate limit (429 with Retry-After, as a JSON-RPC error) and its body limit", async () => {
  const app = createApp({ ...prepared.ctx, config: { ...prepared.ctx.config, rateLimit: { perMinute: 1, burst: 2, trustProxy: false } } });
  const request = () => app.request('/mcp', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: INITIALIZE });
  assert.equal((await request()).status, 200);
  assert.equal((await request()).status, 200);
  const limited = await request();
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.match(((await limited.json()) as { error: { message: string } }).error.message, /too many requests/i);
  const big = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(20_000) } }) });
  assert.equal(big.status, 413);
});

test('stdio: the server wrote nothing but warnings to stderr', () => {
  assert.doesNotMatch(stderr, /error/i, stderr);
});

test("a reader's tools: my_digest and save_paper act for the token's reader only (HTTP), the owner's in owner mode (both transports)", async () => {
  const { hashSecret, newSecret } = await import('../../src/domain/secrets.ts');
  const store = prepared.ctx.store;
  const { reader: ada } = await store.readers.ensure('ada@example.org');
  const token = newSecret('api');
  await store.readers.storeToken(ada.id, 'api', hashSecret(token));
  const asAda = new Client({ name: 'papersift-test', version: '1.0.0' });
  await asAda.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  try {
    const names = (await asAda.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('my_digest') && names.includes('save_paper'), names.join(', '));
    const paper = HOSTILE_PAPER.record.id;
    const saved = await call(asAda, 'save_paper', { id: `arXiv:${paper}` });
    assert.deepEqual(saved.structuredContent, { id: paper, saved: true, inLibrary: true });
    assert.deepEqual((await store.readers.library(ada.id)).map((i) => i.itemId), [paper]);
    assert.deepEqual(await store.readers.library('owner'), [], "the owner's library is not Ada's");
    const mine = await call(asAda, 'my_digest', { limit: 100 });
    const fromApi = await (await fetch(`${base}/api/v1/me/digest`, { headers: { Authorization: `Bearer ${token}` } })).json() as { date: string; papers: Array<{ id: string; personal: unknown }> };
    assert.equal(mine.structuredContent.reader, 'ada@example.org');
    assert.deepEqual(mine.structuredContent.papers.map((p: { id: string; personal: unknown }) => [p.id, p.personal]), fromApi.papers.slice(0, 100).map((p) => [p.id, p.personal]));
    assertToolError(await call(asAda, 'save_paper', { id: '2512.99999' }), /no paper 2512\.99999/, 'an unknown paper');
  } finally {
    await asAda.close();
  }
  // Owner mode (the default on loopback): the tools act for the owner on both transports.
  for (const client of [clients.http, clients.stdio]) assert.ok((await client.listTools()).tools.some((t) => t.name === 'my_digest'));
  // A wrong token is refused outright, not taken for the owner.
  const wrong = await fetch(`${base}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${newSecret('api')}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
  assert.equal(wrong.status, 401);
});
