/**
 * The HTTP client for everything on arXiv (API, OAI-PMH, RSS). arXiv's terms of use ask for no more
 * than one request every 3 seconds and a single connection at a time across all its endpoints, so
 * create ONE of these per process and hand it to every arXiv source.
 */
import type { PoliteClient, PoliteClientOptions } from '../http/polite-client.ts';
import { createServiceClient } from '../http/service-client.ts';

export const ARXIV_HTTP_POLICY = {
  name: 'arxiv',
  minIntervalMs: 3000,
  maxConcurrent: 1,
  timeoutMs: 60_000,
  maxRetries: 5,
  baseBackoffMs: 5000,
  maxBackoffMs: 5 * 60 * 1000,
  userAgent: 'papersift/0.1 (+https://github.com/papersift/papersift)',
} as const satisfies PoliteClientOptions;

/** `overrides` is for tests (tiny intervals, injected sleep) and for adding a validator cache or event log. */
export function createArxivHttpClient(overrides: Partial<PoliteClientOptions> = {}): PoliteClient {
  return createServiceClient(ARXIV_HTTP_POLICY, overrides);
}
