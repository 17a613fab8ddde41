import { ArxivCalendar } from './calendar.ts';
import type { Config } from '../config/config.ts';
import { createArxivHttpClient } from './http-client.ts';
import type { PoliteClient, PoliteClientOptions } from '../http/polite-client.ts';
import type { Logger } from '../log.ts';

/** Everything an arXiv ingest needs besides the store: one shared polite client, the calendar, the endpoints. */
export interface ArxivSources {
  http: PoliteClient;
  calendar: ArxivCalendar;
  apiUrl: string;
  oaiUrl: string;
  rssUrl: string;
  /** Papers per arXiv API request (the API allows up to 2,000). */
  apiPageSize: number;
  /** Ids per API id_list request. */
  idBatchSize: number;
}

export function createArxivSources(config: Config, logger: Logger, httpOverrides: Partial<PoliteClientOptions> = {}): ArxivSources {
  const http = createArxivHttpClient({
    onEvent: (event) => {
      if (event.type === 'retry') logger.warn('arXiv request will be retried', { url: event.url, attempt: event.attempt, reason: event.reason, waitMs: event.waitMs });
      else if (event.type === 'give-up') logger.error('arXiv request failed', { url: event.url, attempts: event.attempt, reason: event.reason });
      else if (event.type === 'request') logger.debug('arXiv request', { url: event.url, attempt: event.attempt });
    },
    ...config.arxiv.http,
    ...httpOverrides,
  });
  return {
    http,
    calendar: new ArxivCalendar(config.arxiv.holidays),
    apiUrl: config.arxiv.apiUrl,
    oaiUrl: config.arxiv.oaiUrl,
    rssUrl: config.arxiv.rssUrl,
    apiPageSize: config.arxiv.apiPageSize,
    idBatchSize: 100,
  };
}
