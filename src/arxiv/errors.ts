/**
 * The errors every arXiv parser throws: a response that is not what the source documents, and an error
 * the service itself reported inside a well-formed answer.
 */

export type ArxivSource = 'api' | 'rss' | 'oai';

const SOURCE_LABEL: Record<ArxivSource, string> = {
  api: 'arXiv API',
  rss: 'arXiv announcement feed',
  oai: 'arXiv OAI-PMH',
};

/** The response is not what the source documents: malformed or truncated XML, a missing field, a bad value. */
export class ArxivFormatError extends Error {
  readonly source: ArxivSource;
  /** 1-based line of the XML where the problem was found, when the XML itself is broken. */
  readonly line: number | null;

  constructor(source: ArxivSource, detail: string, options: { line?: number; cause?: unknown } = {}) {
    super(`${SOURCE_LABEL[source]} response: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ArxivFormatError';
    this.source = source;
    this.line = options.line ?? null;
  }
}

/**
 * The service answered with an error of its own inside a well-formed body: an API error entry
 * (`http://arxiv.org/api/errors#…`) or an OAI-PMH `<error code="…">`.
 */
export class ArxivApiError extends Error {
  readonly source: ArxivSource;
  /** The OAI-PMH error code (badArgument, idDoesNotExist, …) or the API error's fragment (incorrect_id_format_for_abc). */
  readonly code: string;
  /** The service's own message, whitespace-collapsed. */
  readonly detail: string;

  constructor(source: ArxivSource, code: string, detail: string) {
    super(`${SOURCE_LABEL[source]} error ${code}: ${detail}`);
    this.name = 'ArxivApiError';
    this.source = source;
    this.code = code;
    this.detail = detail;
  }
}
