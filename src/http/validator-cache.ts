/** Remembers each URL's ETag / Last-Modified so the next fetch can be conditional (304 Not Modified). */

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export interface ValidatorCache {
  get(url: string): Promise<Validators | null>;
  set(url: string, validators: Validators): Promise<void>;
}

/** Process-local cache, for tests and one-off runs; a persistent one belongs in the store. */
export function createMemoryValidatorCache(): ValidatorCache {
  const byUrl = new Map<string, Validators>();
  return {
    async get(url) {
      const found = byUrl.get(url);
      return found === undefined ? null : { ...found };
    },
    async set(url, validators) {
      byUrl.set(url, { ...validators });
    },
  };
}
