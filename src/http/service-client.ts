import { createPoliteClient, type PoliteClient, type PoliteClientOptions } from './polite-client.ts';

/**
 * A polite client for one service from its policy plus overrides (tests: tiny intervals, injected sleep;
 * config: the configured spacing). Each service gets its own instance, so its own rate limit.
 */
export function createServiceClient(policy: PoliteClientOptions, overrides: Partial<PoliteClientOptions> = {}): PoliteClient {
  const options: PoliteClientOptions = { ...policy };
  // Skip explicit `undefined`s so they cannot erase the policy.
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) Object.assign(options, { [key]: value });
  }
  return createPoliteClient(options);
}
