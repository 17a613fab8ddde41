/** `papersift llm check` end to end against local fake providers: model list, the tiny structured call, the exit code. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startFakeLlmServer, type FakeHandler, type FakeLlmServer, type FakeServerOptions } from '../helpers/fake-llm-servers.ts';
import { sentSchema } from './kit.ts';

const answerOk: FakeHandler = () => ({ answer: '{"ok": true}', usage: { input: 40, output: 5 } });

async function check(model: string, handler: FakeHandler, options: FakeServerOptions = {}): Promise<{ code: number | null; out: string; server: FakeLlmServer }> {
  const server = await startFakeLlmServer(handler, options);
  try {
    const result = await runCli(['llm', 'check'], {
      PAPERSIFT_LLM: model,
      LLM_BASE_URL: server.baseUrl,
      LLM_API_KEY: 'sk-check-secret',
      LLM_PRICE_INPUT_PER_MTOK: '0.25',
      LLM_PRICE_OUTPUT_PER_MTOK: '2',
      LLM_TIMEOUT_MS: '10000',
      LLM_MAX_RETRIES: '0',
      LOG_LEVEL: 'warn',
    });
    return { code: result.code, out: result.stdout + result.stderr, server };
  } finally {
    await server.close();
  }
}

test('a working configuration: the model is listed, the structured call answers with a schema sent, the cost per 1,000 papers, exit 0', async () => {
  const { code, out, server } = await check('openai-compatible:qwen3-8b', answerOk, { models: ['llama-3.1-8b', 'qwen3-8b'] });
  assert.equal(code, 0, out);
  assert.match(out, /model list: 2 models; qwen3-8b is among them/);
  assert.match(out, /structured call: answered \(JSON schema sent; 40 tokens in, 5 out\)/);
  assert.match(out, /cost: about \$\d+\.\d\d per 1,000 papers at the configured prices/);
  assert.match(out, /the configuration works/);
  assert.ok(!out.includes('sk-check-secret'), 'the key is never printed');
  // One tiny call, and it carried a JSON schema.
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]!.model, 'qwen3-8b');
  assert.ok(sentSchema(server.requests[0]!) !== null, 'a schema was sent');
});

test('a model missing from the list: says so, suggests a listed one, exits non-zero', async () => {
  const { code, out } = await check('openai:gpt-4o-mini-2024-07-18', answerOk, { models: ['gpt-5-mini', 'gpt-5-nano', 'text-embedding-3-small'] });
  assert.notEqual(code, 0, out);
  assert.match(out, /gpt-4o-mini-2024-07-18 is NOT among them/);
  assert.match(out, /use instead: PAPERSIFT_LLM=openai:gpt-5-mini/);
  assert.match(out, /does NOT work/);
});

test('a server without JSON-schema support still passes on the prompt-only path, and says so', async () => {
  const { code, out } = await check('openai-compatible:local-model', answerOk, { models: ['local-model'], schemaSupport: false });
  assert.equal(code, 0, out);
  assert.match(out, /structured call: answered \(prompt only/);
});

test('the structured call failing (unknown model, bad key, wrong answer) exits non-zero and says why', async () => {
  const notFound = await check('anthropic:claude-3-5-haiku-latest', () => ({ status: 404, message: 'model: claude-3-5-haiku-latest' }), { models: ['claude-haiku-4-5', 'claude-sonnet-4-5'] });
  assert.notEqual(notFound.code, 0, notFound.out);
  assert.match(notFound.out, /claude-3-5-haiku-latest is NOT among them/);
  assert.match(notFound.out, /use instead: PAPERSIFT_LLM=anthropic:claude-haiku-4-5/);
  assert.match(notFound.out, /structured call: failed/);

  const badKey = await check('openai-compatible:qwen3-8b', () => ({ status: 401, message: 'Incorrect API key provided' }));
  assert.notEqual(badKey.code, 0, badKey.out);
  assert.match(badKey.out, /model list: not available \(HTTP 404/, 'a server without a model list is said so');
  assert.match(badKey.out, /structured call: failed/);
  assert.match(badKey.out, /does NOT work/);

  const wrong = await check('ollama:qwen3:8b', () => ({ answer: 'Sure! Here you go.' }), { models: ['qwen3:8b'] });
  assert.notEqual(wrong.code, 0, wrong.out);
  assert.match(wrong.out, /qwen3:8b is among them/);
  assert.match(wrong.out, /structured call: the answer was not the JSON asked for/);
});
