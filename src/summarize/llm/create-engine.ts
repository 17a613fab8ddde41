import type { Config } from '../../config/config.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/db.ts';
import type { SummaryEngine } from '../engine.ts';
import { createOfflineEngine } from '../offline/extractive-engine.ts';
import { createLlmEngine, type LlmEngineOptions } from './llm-engine.ts';
import { createAiSdkClient, type LlmClient } from './provider.ts';

/**
 * The configured summary engine: the offline engine when PAPERSIFT_LLM is empty, otherwise the LLM
 * engine with the offline engine as its fallback. `client`, `backoff`, `promptVersion` and `rateWindowMs` are for tests.
 */
export function createSummaryEngine(
  config: Config,
  deps: { store: Store; logger: Logger; client?: LlmClient } & Pick<LlmEngineOptions, 'backoff' | 'promptVersion' | 'rateWindowMs' | 'gate'>,
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
    gate: deps.gate,
  });
}
