import { loadConfig, type Config } from '../config/config.ts';
import { createEnrichmentSources } from '../enrich/sources.ts';
import { createArxivSources } from '../arxiv/sources.ts';
import { createLogger } from '../log.ts';
import type { AppContext } from '../pipeline/context.ts';
import { progressFor } from '../progress.ts';
import { openStore } from '../store/store.ts';
import { createSummaryEngine } from '../summarize/llm/create-engine.ts';

/** Builds the application context from the environment; the caller owns closing the store. */
export async function createAppContext(config: Config = loadConfig()): Promise<AppContext> {
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  const store = await openStore(config.database);
  return { config, store, logger, engine: createSummaryEngine(config, { store, logger }), progress: progressFor(logger), arxiv: createArxivSources(config, logger), enrichment: createEnrichmentSources(config, logger) };
}
