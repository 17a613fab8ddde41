import { splitArxivId } from '../arxiv/ids.ts';
import type { ArxivSources } from '../arxiv/sources.ts';
import { HttpError } from '../http/errors.ts';
import { ingestIds } from '../ingest/ingest-ids.ts';
import type { IngestInput } from '../ingest/ingest-runs.ts';
import type { FeedbackSignal } from '../store/repositories/readers.ts';
import type { Store } from '../store/store.ts';

export interface LibraryAddResult {
  /** arXiv ids new in the library. */
  added: string[];
  /** arXiv ids that were in it already. */
  already: string[];
  /** Ids arXiv does not know (nothing added for them). */
  unknown: string[];
}

/** arXiv did not answer (after the polite client's retries) for papers not stored yet: nothing was added. */
export class ArxivUnavailableError extends Error {
  constructor(cause: HttpError) {
    super(`arXiv did not answer for papers not stored yet (${cause.message}); nothing was added, try again later`, { cause });
    this.name = 'ArxivUnavailableError';
  }
}

export class NotArxivIdsError extends Error {
  constructor(readonly refs: string[]) {
    super(`not arXiv ids or arXiv URLs: ${refs.map((r) => JSON.stringify(r)).join(', ')}`);
    this.name = 'NotArxivIdsError';
  }
}

/** arXiv ids from what readers paste: bare ids, arXiv:…, abs or pdf URLs, with or without a version. */
export function arxivIdsOf(refs: readonly string[]): string[] {
  const bad = refs.filter((ref) => splitArxivId(ref) === null);
  if (bad.length > 0) throw new NotArxivIdsError(bad);
  return [...new Set(refs.map((ref) => splitArxivId(ref)!.id))];
}

/**
 * Adds arXiv papers to a reader's library. Papers this papersift has not stored yet are fetched from
 * the arXiv API first (through the shared polite client), so a library can hold older papers too.
 */
export async function addArxivPapers(
  input: IngestInput & { store: Pick<Store, 'readers'> },
  arxiv: ArxivSources,
  readerId: string,
  refs: readonly string[],
  source = 'arxiv',
): Promise<LibraryAddResult> {
  const ids = arxivIdsOf(refs);
  let texts = await input.store.papers.texts(ids);
  const missing = ids.filter((id) => !texts.has(id));
  if (missing.length > 0) {
    try {
      await ingestIds(input, arxiv, missing);
    } catch (error) {
      if (error instanceof HttpError) throw new ArxivUnavailableError(error);
      throw error;
    }
    texts = await input.store.papers.texts(ids);
  }
  const known = ids.filter((id) => texts.has(id));
  const before = new Set((await input.store.readers.library(readerId)).map((item) => item.itemId));
  await input.store.readers.addToLibrary(
    readerId,
    known.map((id) => {
      const text = texts.get(id)!;
      return { itemId: id, paperId: id, title: text.title, abstract: text.abstract, year: text.year, source };
    }),
  );
  return { added: known.filter((id) => !before.has(id)), already: known.filter((id) => before.has(id)), unknown: ids.filter((id) => !texts.has(id)) };
}

/**
 * A reader's signal on a stored paper (the API, the cards' buttons, MCP's save_paper): the latest
 * counts, and a save is also a library entry (the library is what the ranking learns from first).
 */
export async function recordFeedback(
  input: IngestInput & { store: Pick<Store, 'readers'> },
  arxiv: ArxivSources,
  readerId: string,
  paperId: string,
  signal: FeedbackSignal,
  at: Date = new Date(),
): Promise<void> {
  await input.store.readers.setFeedback(readerId, paperId, signal, at);
  if (signal === 'save') await addArxivPapers(input, arxiv, readerId, [paperId], 'save');
}
