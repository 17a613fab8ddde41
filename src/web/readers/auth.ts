import type { Context, MiddlewareHandler } from 'hono';
import { hashSecret, looksLikeSecret } from '../../domain/secrets.ts';
import type { Reader } from '../../store/repositories/readers.ts';
import type { Store } from '../../store/store.ts';
import { jsonError } from '../responses.ts';

export type AuthMode = 'owner' | 'email';

export type ReaderVariables = { reader: Reader };

/**
 * Who is asking, for the reader's own routes (/api/v1/me/*): a Bearer API token names its reader in
 * either mode (a token that is wrong, revoked or malformed is a 401, never a fallback to the owner);
 * without one, owner mode's one reader, or in email mode a 401. The answer is the reader's alone:
 * `private, no-store` keeps it out of shared caches and the page cache, whatever the route sets.
 */
export function requireReader(store: Pick<Store, 'readers'>, mode: AuthMode): MiddlewareHandler<{ Variables: ReaderVariables }> {
  const unauthorized = (c: Context, message: string) => {
    c.header('WWW-Authenticate', 'Bearer realm="papersift"');
    c.header('Cache-Control', 'private, no-store');
    return jsonError(c, 401, message);
  };
  return async (c, next) => {
    const header = c.req.header('Authorization');
    let reader: Reader | null = null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
      if (!match) return unauthorized(c, 'Authorization must be "Bearer <token>" (a token from `papersift readers add`)');
      const token = match[1]!;
      reader = looksLikeSecret(token, 'api') ? await store.readers.readerByToken(hashSecret(token), 'api') : null;
      if (!reader) return unauthorized(c, 'this token is not valid (wrong, or revoked)');
    } else if (mode === 'owner') {
      reader = await store.readers.ensureOwner();
    } else {
      return unauthorized(c, 'sign in, or send Authorization: Bearer <token>');
    }
    c.set('reader', reader);
    await next();
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Authorization, Cookie');
  };
}
