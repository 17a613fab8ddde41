/** The CLI end to end with an LLM configured: `summarize` calls the provider once per paper, `stats` reports the ledger. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { startFakeLlmServer, type FakeLlmServer } from '../helpers/fake-llm-servers.ts';
import { samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';
import { goodAnswer } from './kit.ts';

const temp = makeTempDir();
let server: FakeLlmServer;
let env: Record<string, string>;

before(async () => {
  server = await startFakeLlmServer(async (request) => ({ answer: await goodAnswer(request), usage: { input: 1000, output: 250 } }));
  env = {
    DATABASE_URL: (await freshDatabase(temp.dir, 'cli')).url,
    PAPERSIFT_SNAPSHOT: 'off',
    PAPERSIFT_LLM: 'openai:gpt-5-mini',
    LLM_BASE_URL: server.baseUrl,
    LLM_API_KEY: 'sk-cli-secret',
    LLM_PRICE_INPUT_PER_MTOK: '0.15',
    LLM_PRICE_OUTPUT_PER_MTOK: '0.6',
    LOG_LEVEL: 'warn',
  };
});
after(async () => {
  await server.close();
  await dropTestDatabases();
  temp.cleanup();
});

test('summarize with PAPERSIFT_LLM: one call per paper, none on a rerun; stats totals the ledger', async () => {
  const file = writeSnapshotFile(temp.dir, (await samplePapers(1)).slice(0, 3));
  const ingest = await runCli(['ingest', '--snapshot', file], env);
  assert.equal(ingest.code, 0, ingest.stderr);

  const first = await runCli(['summarize'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(JSON.parse(first.stdout), { summarized: 3, fallback: 0, skipped: 0, failed: 0 });
  assert.equal(server.requests.length, 3);
  const rerun = await runCli(['summarize'], env);
  assert.deepEqual(JSON.parse(rerun.stdout), { summarized: 0, fallback: 0, skipped: 0, failed: 0 });
  assert.equal(server.requests.length, 3, 'a rerun makes zero calls');

  const stats = await runCli(['stats'], env);
  assert.equal(stats.code, 0, stats.stderr);
  const day = new Date().toISOString().slice(0, 10);
  assert.match(stats.stdout, /LLM calls per day \(UTC\)/);
  assert.match(stats.stdout, new RegExp(`${day}\\s+3\\s+3000\\s+750\\s+0\\.0009\\s+3\\s+0\\s+0\\s+0\\s+0\\s+0`));
  assert.match(stats.stdout, /openai:gpt-5-mini\s+3\s+3000\s+750/);
  const json = JSON.parse((await runCli(['stats', '--json'], env)).stdout);
  assert.equal(json.total.calls, 3);
  assert.equal(json.total.outcomes.success, 3);
  assert.ok(Math.abs(json.total.costUsd - 3 * (1000 * 0.15 + 250 * 0.6) / 1e6) < 1e-12);
  assert.deepEqual(json.byModel.map((r: { key: string }) => r.key), ['openai:gpt-5-mini']);
});

test('batch mode with PAPERSIFT_LLM: engine named on every line, an unusable answer falls back, every call in the ledger', async () => {
  const papers = (await samplePapers(1)).slice(3, 6).map(({ record }) => record);
  const input = path.join(temp.dir, 'batch.jsonl');
  const lines = papers.map((paper) => JSON.stringify({ id: paper.id, title: paper.title, abstract: paper.abstract, categories: paper.categories }));
  fs.writeFileSync(input, [lines[0], 'not json', lines[1], lines[2]].join('\n') + '\n');
  const batchEnv = { ...env, DATABASE_URL: (await freshDatabase(temp.dir, 'batch')).url };
  // The second paper's answers invent a figure: one corrective retry, then the offline engine stands in.
  const goodHandler = server.handler;
  server.handler = async (request) => {
    if (request.paper !== `${papers[1]!.id}v1`) return goodHandler(request);
    const answer = JSON.parse(await goodAnswer(request)) as { tldr: string };
    answer.tldr = 'It is 73.9% faster.';
    return { answer: JSON.stringify(answer), usage: { input: 1000, output: 250 } };
  };
  try {
    const before = server.requests.length;
    const output = path.join(temp.dir, 'batch-out.jsonl');
    const first = await runCli(['summarize', '--jsonl', input, '--out', output], batchEnv);
    assert.equal(first.code, 1, 'asked for LLM cards, one line got the offline fallback: non-zero exit');
    assert.match(first.stderr, /1 of 4 lines got the offline fallback/);
    assert.deepEqual(JSON.parse(first.stdout), { lines: 4, summarized: 2, fallback: 1, failed: 1 });
    assert.equal(server.requests.length - before, 4, 'one call per good paper, two for the unusable one');
    const out = fs.readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(out.map((line) => line.id ?? line.error), [papers[0]!.id, 'not valid JSON', papers[1]!.id, papers[2]!.id]);
    for (const line of [out[0], out[3]]) {
      assert.deepEqual(line.engine, { name: 'openai', model: 'gpt-5-mini', promptVersion: line.engine.promptVersion, outcome: 'success' });
      assert.match(line.tldr, /^In short: /, 'the model wrote it, not the offline engine');
    }
    assert.equal(out[2].engine.name, 'offline');
    assert.equal(out[2].engine.outcome, 'fallback');
    assert.match(out[2].engine.note, /^fallback to extractive-v1: unfaithful: /);
    assert.doesNotMatch(out[2].tldr, /73\.9/);

    // Batch lines are not stored papers, so there is no summary cache to hit: a rerun asks again (and pays again).
    const rerun = await runCli(['summarize', '--jsonl', input, '--out', path.join(temp.dir, 'batch-again.jsonl'), '--allow-fallback'], batchEnv);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(server.requests.length - before, 8);
    const stats = JSON.parse((await runCli(['stats', '--json'], batchEnv)).stdout);
    assert.equal(stats.total.calls, 8);
    assert.equal(stats.total.outcomes.success, 4);
    assert.equal(stats.total.outcomes.unfaithful, 4);
  } finally {
    server.handler = goodHandler;
  }
});

test('stats on a store without LLM calls says so', async () => {
  const result = await runCli(['stats'], { DATABASE_URL: (await freshDatabase(temp.dir, 'empty')).url, PAPERSIFT_SNAPSHOT: 'off' });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /No LLM calls recorded/);
});

test('config prints the LLM settings with the key redacted', async () => {
  const result = await runCli(['config'], env);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^PAPERSIFT_LLM=openai:gpt-5-mini$/m);
  assert.match(result.stdout, /^LLM_API_KEY=\[redacted\]$/m);
  assert.ok(!result.stdout.includes('sk-cli-secret'));
});
