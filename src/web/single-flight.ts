/**
 * Coalesces concurrent runs of the same work: while a run for a key is in progress, callers of
 * `running` wait for it and share its result instead of starting their own. The page cache uses it
 * so that when a commit changes the store's generation, the many requests arriving for one page wait
 * for one build rather than building it each (a thundering herd: on SQLite's single synchronous
 * connection N interleaved builds of one page all finish N times later).
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T | undefined>>();

  /**
   * The run in progress for `key`, if any: it settles with the run's result, or undefined when the
   * run failed (never rejecting). Read synchronously: a caller that finds none and calls `run`
   * before its next await is the only runner.
   */
  running(key: string): Promise<T | undefined> | undefined {
    return this.#running.get(key);
  }

  /** Runs `work` as the run for `key` (its failure is the caller's; waiters are released either way). */
  async run(key: string, work: () => Promise<T>): Promise<T> {
    let settle!: (result: T | undefined) => void;
    this.#running.set(key, new Promise<T | undefined>((resolve) => (settle = resolve)));
    let result: T | undefined;
    try {
      result = await work();
      return result;
    } finally {
      this.#running.delete(key);
      settle(result);
    }
  }
}
