import type { Config } from '../../config/config.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/store.ts';
import type { SummaryEngine } from '../engine.ts';
import { createOfflineEngine } from '../offline/extractive-engine.ts';
import { createLlmEngine, MAX_RETRY_AFTER_MS, type LlmEngineOptions } from './llm-engine.ts';
import { createAiSdkClient, type LlmClient } from './provider.ts';

/**
 * The configured summary engine: the offline engine when PAPERSIFT_LLM is empty, otherwise the LLM
 * engine with the offline engine as its fallback. `mode: 'batch'` (summarize --jsonl) waits out longer
 * Retry-After answers (LLM_BATCH_MAX_RETRY_AFTER_SECONDS). `client`, `backoff`, `promptVersion` and `rateWindowMs` are for tests.
 */
export function createSummaryEngine(
  config: Config,
  deps: { store: Store; logger: Logger; client?: LlmClient; mode?: 'pass' | 'batch' } & Pick<LlmEngineOptions, 'backoff' | 'promptVersion' | 'rateWindowMs' | 'gate'>,
): SummaryEngine {
  const offline = createOfflineEngine();
  const llm = config.llm;
  if (llm === null) return offline;
  return createLlmEngine({
    client: deps.client ?? createAiSdkClient(llm),
    store: deps.store,
    fallback: offline,
    logger: deps.logger,
    limits: { concurrency: llm.concurrency, requestsPerMinute: llm.requestsPerMinute, timeoutMs: llm.timeoutMs, maxRetries: llm.maxRetries },
    prices: { inputPerMTok: llm.priceInputPerMTok, outputPerMTok: llm.priceOutputPerMTok },
    backoff: deps.backoff,
    promptVersion: deps.promptVersion,
    rateWindowMs: deps.rateWindowMs,
    maxOutputTokens: llm.maxOutputTokens,
    language: config.summaryLanguage,
    maxRetryAfterMs: deps.mode === 'batch' ? llm.batchMaxRetryAfterMs : MAX_RETRY_AFTER_MS,
    gate: deps.gate,
  });
}
