/** The LLM settings: parsed from the environment, validated together, secrets redacted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, describeEnvironment, loadConfig } from '../../src/config/config.ts';
import { createSummaryEngine } from '../../src/summarize/llm/create-engine.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import { silentLogger } from '../../src/log.ts';
import type { Store } from '../../src/store/store.ts';

test('no PAPERSIFT_LLM: no LLM settings, and the engine is the offline one', () => {
  const config = loadConfig({});
  assert.equal(config.llm, null);
  const engine = createSummaryEngine(config, { store: {} as Store, logger: silentLogger });
  assert.deepEqual(engine.descriptor, createOfflineEngine().descriptor);
  assert.equal(engine.descriptor.engine, 'offline');
});

test('provider:model with the documented defaults', () => {
  const config = loadConfig({ PAPERSIFT_LLM: 'openai:gpt-5-mini', LLM_API_KEY: 'sk-x' });
  assert.deepEqual(config.llm, {
    provider: 'openai',
    model: 'gpt-5-mini',
    baseUrl: null,
    apiKey: 'sk-x',
    concurrency: 2,
    requestsPerMinute: 60,
    timeoutMs: 60000,
    maxRetries: 3,
    priceInputPerMTok: null,
    priceOutputPerMTok: null,
    maxOutputTokens: 6000,
    reasoningEffort: null,
    structuredOutput: 'auto',
    openaiApi: 'responses',
    batchMaxRetryAfterMs: 3_600_000,
  });
  assert.equal(config.summaryLanguage, 'en');
  const engine = createSummaryEngine(config, { store: {} as Store, logger: silentLogger });
  assert.deepEqual(engine.descriptor, { engine: 'openai', model: 'gpt-5-mini', promptVersion: 'llm-3' });
});

test('reasoning effort, output budget and the summary language; the offline engine refuses other languages', () => {
  const config = loadConfig({ PAPERSIFT_LLM: 'openai:gpt-5-mini', LLM_API_KEY: 'sk-x', LLM_REASONING_EFFORT: 'low', LLM_MAX_OUTPUT_TOKENS: '12000', PAPERSIFT_SUMMARY_LANGUAGE: 'DE' });
  assert.equal(config.llm?.reasoningEffort, 'low');
  assert.equal(config.llm?.maxOutputTokens, 12000);
  assert.equal(config.summaryLanguage, 'de');
  const engine = createSummaryEngine(config, { store: {} as Store, logger: silentLogger });
  assert.equal(engine.descriptor.promptVersion, 'llm-3-de', 'another language is another cache key');
  assert.throws(() => loadConfig({ LLM_REASONING_EFFORT: 'extreme' }), ConfigError);
  assert.throws(() => loadConfig({ PAPERSIFT_SUMMARY_LANGUAGE: 'de' }), /offline engine writes English only/);
  assert.throws(() => loadConfig({ PAPERSIFT_LLM: 'openai:gpt-5-mini', LLM_API_KEY: 'k', PAPERSIFT_SUMMARY_LANGUAGE: 'not a language' }), ConfigError);
});

test('every provider family parses; model names may contain colons', () => {
  assert.deepEqual(loadConfig({ PAPERSIFT_LLM: 'ollama:llama3.1:8b' }).llm?.model, 'llama3.1:8b');
  assert.equal(loadConfig({ PAPERSIFT_LLM: 'ollama:llama3.1' }).llm?.apiKey, null, 'ollama needs no key');
  assert.equal(loadConfig({ PAPERSIFT_LLM: 'anthropic:claude-haiku-4-5', LLM_API_KEY: 'k' }).llm?.provider, 'anthropic');
  const compatible = loadConfig({ PAPERSIFT_LLM: 'openai-compatible:qwen2.5', LLM_BASE_URL: 'http://127.0.0.1:8000/v1', LLM_PRICE_INPUT_PER_MTOK: '0.1', LLM_PRICE_OUTPUT_PER_MTOK: '0.4' });
  assert.equal(compatible.llm?.provider, 'openai-compatible');
  assert.equal(compatible.llm?.baseUrl, 'http://127.0.0.1:8000/v1');
  assert.equal(compatible.llm?.priceInputPerMTok, 0.1);
  assert.equal(compatible.llm?.priceOutputPerMTok, 0.4);
});

test('invalid LLM settings fail loudly, naming the variable', () => {
  const fails = (env: Record<string, string>, name: string) =>
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.message.includes(name), name);
  fails({ PAPERSIFT_LLM: 'gemini:pro' }, 'PAPERSIFT_LLM');
  fails({ PAPERSIFT_LLM: 'openai' }, 'PAPERSIFT_LLM');
  fails({ PAPERSIFT_LLM: 'openai-compatible:m' }, 'LLM_BASE_URL');
  fails({ PAPERSIFT_LLM: 'openai:gpt-5-mini' }, 'LLM_API_KEY');
  fails({ PAPERSIFT_LLM: 'anthropic:claude-haiku-4-5' }, 'LLM_API_KEY');
  fails({ LLM_BASE_URL: 'ftp://example.org/v1' }, 'LLM_BASE_URL');
  fails({ LLM_CONCURRENCY: '0' }, 'LLM_CONCURRENCY');
  fails({ LLM_REQUESTS_PER_MINUTE: 'lots' }, 'LLM_REQUESTS_PER_MINUTE');
  fails({ LLM_PRICE_INPUT_PER_MTOK: '-1' }, 'LLM_PRICE_INPUT_PER_MTOK');
});

test('the API key is redacted when the configuration is printed', () => {
  const shown = describeEnvironment({ PAPERSIFT_LLM: 'openai:gpt-5-mini', LLM_API_KEY: 'sk-very-secret' });
  assert.equal(shown.find((o) => o.name === 'LLM_API_KEY')!.value, '[redacted]');
  assert.equal(shown.find((o) => o.name === 'PAPERSIFT_LLM')!.value, 'openai:gpt-5-mini');
  assert.ok(!JSON.stringify(shown).includes('sk-very-secret'));
});
