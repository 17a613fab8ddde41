import { loadConfig, type Config } from '../config/config.ts';
import { serviceGateSettings } from '../config/service-gates.ts';
import { createEnrichmentSources } from '../enrich/sources.ts';
import { createArxivSources } from '../arxiv/sources.ts';
import { createLogger } from '../log.ts';
import type { AppContext } from '../pipeline/context.ts';
import { progressFor } from '../progress.ts';
import { openStore } from '../store/store.ts';
import { openJobQueue } from '../jobs/open-queue.ts';
import { withStartupLock } from '../store/startup-lock.ts';
import { createSummaryEngine } from '../summarize/llm/create-engine.ts';

/**
 * Builds the application context from the environment; the caller owns closing the store (and the
 * queue, when asked for). Opening the store (migrations) and the queue (pg-boss's schema and queues)
 * runs under the store's start-up lock, so any number of processes may start together.
 */
export async function createAppContext(config: Config = loadConfig(), options: { queue?: boolean } = {}): Promise<AppContext> {
  const logger = createLogger(config.logLevel, undefined, config.logFormat);
  const onRetry = (error: unknown, attempt: number, delayMs: number) =>
    logger.warn('start-up: the database is not ready; trying again', { attempt, delayMs: Math.round(delayMs), error: error instanceof Error ? error.message : String(error) });
  const { store, jobs } = await withStartupLock(
    config.database,
    async () => {
      const store = await openStore(config.database);
      try {
        return { store, jobs: options.queue ? await openJobQueue(config, store) : undefined };
      } catch (error) {
        await store.close();
        throw error;
      }
    },
    { attempts: 8, baseDelayMs: 250, maxDelayMs: 5_000, onRetry },
  );
  const gates = store.rateGates.openAll(serviceGateSettings(config));
  return {
    config,
    store,
    logger,
    engine: createSummaryEngine(config, { store, logger, gate: gates.llm }),
    progress: progressFor(logger),
    arxiv: createArxivSources(config, logger, { sharedGate: gates.arxiv }),
    enrichment: createEnrichmentSources(config, logger, {}, { semanticScholar: gates['semantic-scholar'], openAlex: gates.openalex }),
    gates,
    ...(jobs ? { jobs } : {}),
  };
}
