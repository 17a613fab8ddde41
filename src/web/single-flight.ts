/**
 * Coalesces concurrent runs of the same work: while a run for a key is in progress, callers of
 * `joined` wait for it to end instead of starting their own. The page cache uses it so that when a
 * commit changes the store's generation, the many requests arriving for one page wait for one build
 * rather than building it each (a thundering herd: on SQLite's single synchronous connection N
 * interleaved builds of one page all finish N times later).
 */
export class SingleFlight {
  readonly #running = new Map<string, Promise<void>>();

  /**
   * The run in progress for `key`, if any (it settles when the run ends, never rejecting). Read
   * synchronously: a caller that finds none and calls `run` before its next await is the only runner.
   */
  running(key: string): Promise<void> | undefined {
    return this.#running.get(key);
  }

  /** Runs `work` as the run for `key` (its failure is the caller's; waiters are released either way). */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    this.#running.set(key, new Promise<void>((resolve) => (release = resolve)));
    try {
      return await work();
    } finally {
      this.#running.delete(key);
      release();
    }
  }

  /** Keys with a run in progress (for tests and metrics). */
  get size(): number {
    return this.#running.size;
  }
}
