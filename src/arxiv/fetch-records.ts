import type { PaperRecord } from '../domain/paper.ts';
import { parseApiFeed } from './api-feed.ts';
import type { ArxivSources } from './sources.ts';
import { apiIdListUrl } from './urls.ts';

/** Fetches full metadata for arXiv ids from the API, in batches, handing each batch's records (those arXiv knew) to `onBatch`. */
export async function fetchRecordsByIds(sources: ArxivSources, ids: string[], onBatch: (records: PaperRecord[], asked: string[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < ids.length; i += sources.idBatchSize) {
    const asked = ids.slice(i, i + sources.idBatchSize);
    const page = parseApiFeed((await sources.http.get(apiIdListUrl(sources.apiUrl, asked))).body ?? '');
    await onBatch(page.records, asked);
  }
}
