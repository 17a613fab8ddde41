import type { Config } from '../config/config.ts';
import type { EnrichmentSources } from '../enrich/sources.ts';
import type { ArxivSources } from '../arxiv/sources.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { SummaryEngine } from '../summarize/engine.ts';
import type { ProgressFactory } from '../progress.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { RateGate } from '../domain/rate-gate.ts';

/** Everything a pipeline step or a web handler needs, built once by the CLI (or a test). */
export interface AppContext {
  config: Config;
  store: Store;
  logger: Logger;
  engine: SummaryEngine;
  progress: ProgressFactory;
  /** The arXiv endpoints behind one shared polite HTTP client. */
  arxiv: ArxivSources;
  /** Semantic Scholar and OpenAlex, each behind its own polite client; built from config when absent. */
  enrichment?: EnrichmentSources;
  /** The job queue when workers run the pipeline (PAPERSIFT_WORKERS=queue); its counts feed /metrics. */
  jobs?: JobQueue;
  /** The external services' limits shared with the other processes on the store; their state feeds /metrics. */
  gates?: Partial<Record<string, RateGate>>;
}
