import { HttpError, HttpStatusError } from '../http/errors.ts';
import { isRetryableStatus } from '../http/retry-policy.ts';

/** A Semantic Scholar or OpenAlex answer that does not have the documented shape. */
export class EnrichmentFormatError extends Error {
  readonly service: string;
  constructor(service: string, message: string) {
    super(`${service}: unexpected response: ${message}`);
    this.name = 'EnrichmentFormatError';
    this.service = service;
  }
}

/**
 * True when the service cannot be used right now (network, timeout, or a status that means "try again
 * later" still there after all retries): the step stops asking it for this run and keeps what is stored.
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof HttpError)) return false;
  if (error instanceof HttpStatusError) return isRetryableStatus(error.status);
  return true;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof HttpStatusError && error.status === 404;
}
