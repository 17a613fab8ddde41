import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import type { ProgressFactory } from '../progress.ts';
import type { IngestRunTotals } from '../store/repositories/ingest-runs.ts';
import type { Store } from '../store/store.ts';

export { emptyTotals, INGEST_RUN_LEASE_MS, type IngestRunTotals } from '../store/repositories/ingest-runs.ts';

/** What an ingest needs besides its arXiv sources: the repositories it writes, a logger, progress, the followed categories. */
export interface IngestInput {
  store: Pick<Store, 'papers' | 'announcementDays' | 'ingestRuns' | 'transaction'>;
  logger: Logger;
  progress: ProgressFactory;
  config: Pick<Config, 'categories'>;
}

export function addTotals(into: IngestRunTotals, add: Partial<IngestRunTotals>): void {
  for (const key of ['fetched', 'inserted', 'updated', 'unchanged', 'failed'] as const) into[key] += add[key] ?? 0;
}
