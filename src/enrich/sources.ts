import type { Config } from '../config/config.ts';
import type { RateGate } from '../domain/rate-gate.ts';
import type { PoliteClientOptions } from '../http/polite-client.ts';
import { createServiceClient } from '../http/service-client.ts';
import type { Logger } from '../log.ts';
import { createOpenAlexClient, type OpenAlexClient } from './openalex.ts';
import { createSemanticScholarClient, type SemanticScholarClient } from './semantic-scholar.ts';

/** The two enrichment services, each behind its own polite client (their limits are separate). */
export interface EnrichmentSources {
  semanticScholar: SemanticScholarClient;
  openAlex: OpenAlexClient;
}

const USER_AGENT = 'papersift/0.1 (+https://github.com/papersift/papersift)';

/** `gates`: each service's limits shared with the other processes on the store. */
export function createEnrichmentSources(
  config: Config,
  logger: Logger,
  overrides: Partial<PoliteClientOptions> = {},
  gates: { semanticScholar?: RateGate; openAlex?: RateGate } = {},
): EnrichmentSources {
  const { enrich } = config;
  const policy = (name: string, minIntervalMs: number): PoliteClientOptions => ({
    name,
    minIntervalMs,
    maxConcurrent: 1,
    timeoutMs: enrich.http.timeoutMs,
    maxRetries: enrich.http.maxRetries,
    baseBackoffMs: enrich.http.baseBackoffMs,
    maxBackoffMs: 2 * 60 * 1000,
    // A long Retry-After means "not now": the step keeps what is stored instead of stalling a pass.
    maxRetryAfterMs: 2 * 60 * 1000,
    userAgent: USER_AGENT,
    onEvent: (event) => {
      if (event.type === 'retry') logger.warn(`${name} request will be retried`, { url: event.url, attempt: event.attempt, reason: event.reason, waitMs: event.waitMs });
      else if (event.type === 'give-up') logger.warn(`${name} request failed`, { url: event.url, attempts: event.attempt, reason: event.reason });
    },
  });
  return {
    semanticScholar: createSemanticScholarClient(createServiceClient(policy('semantic-scholar', enrich.semanticScholar.minIntervalMs), { sharedGate: gates.semanticScholar, ...overrides }), enrich.semanticScholar),
    openAlex: createOpenAlexClient(createServiceClient(policy('openalex', enrich.openAlex.minIntervalMs), { sharedGate: gates.openAlex, ...overrides }), enrich.openAlex),
  };
}
