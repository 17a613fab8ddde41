import type { RateGateSettings } from '../domain/rate-gate.ts';
import type { Config } from './config.ts';

/** The external services whose limits every papersift process on one store shares. */
export type GatedService = 'arxiv' | 'semantic-scholar' | 'openalex' | 'llm';

/** A slot outlives the longest request it can cover (the whole-exchange timeout) by this much. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Each service's shared gate, from the options that already set its limits: arXiv's and the
 * enrichment services' spacing with one connection, and the LLM's per-minute budget and concurrency
 * (its spacing is the budget's, so no interval of its own). The LLM gate exists only when an LLM is set.
 */
export function serviceGateSettings(config: Config): Partial<Record<GatedService, RateGateSettings>> {
  const { arxiv, enrich, llm } = config;
  const gates: Partial<Record<GatedService, RateGateSettings>> = {
    arxiv: { service: 'arxiv', minIntervalMs: arxiv.http.minIntervalMs, maxConcurrent: 1, leaseMs: arxiv.http.timeoutMs + LEASE_MARGIN_MS },
    'semantic-scholar': { service: 'semantic-scholar', minIntervalMs: enrich.semanticScholar.minIntervalMs, maxConcurrent: 1, leaseMs: enrich.http.timeoutMs + LEASE_MARGIN_MS },
    openalex: { service: 'openalex', minIntervalMs: enrich.openAlex.minIntervalMs, maxConcurrent: 1, leaseMs: enrich.http.timeoutMs + LEASE_MARGIN_MS },
  };
  if (llm !== null) {
    gates.llm = {
      service: 'llm',
      minIntervalMs: 0,
      maxConcurrent: llm.concurrency,
      budget: { count: llm.requestsPerMinute, windowMs: 60_000 },
      leaseMs: llm.timeoutMs + LEASE_MARGIN_MS,
    };
  }
  return gates;
}
