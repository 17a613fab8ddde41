import type { Context, MiddlewareHandler } from 'hono';
import { hashSecret, looksLikeSecret } from '../../domain/secrets.ts';
import type { Reader } from '../../store/repositories/readers.ts';
import type { Store } from '../../store/store.ts';
import { jsonError } from '../responses.ts';

export type AuthMode = 'owner' | 'email';

export type ReaderVariables = { reader: Reader };

export type ReaderResolution = { ok: true; reader: Reader | null } | { ok: false; message: string };

/**
 * The reader an Authorization header names: a Bearer API token names its reader in either mode (a
 * wrong, revoked or malformed one is refused, never taken for the owner); without a header, owner
 * mode's one reader, or in email mode nobody (null).
 */
export async function resolveReader(store: Pick<Store, 'readers'>, mode: AuthMode, header: string | undefined): Promise<ReaderResolution> {
  if (header === undefined) return { ok: true, reader: mode === 'owner' ? await store.readers.ensureOwner() : null };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { ok: false, message: 'Authorization must be "Bearer <token>" (a token from `papersift readers add`)' };
  const token = match[1]!;
  const reader = looksLikeSecret(token, 'api') ? await store.readers.readerByToken(hashSecret(token), 'api') : null;
  return reader ? { ok: true, reader } : { ok: false, message: 'this token is not valid (wrong, or revoked)' };
}

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
    const resolved = await resolveReader(store, mode, c.req.header('Authorization'));
    if (!resolved.ok) return unauthorized(c, resolved.message);
    if (!resolved.reader) return unauthorized(c, 'sign in, or send Authorization: Bearer <token>');
    c.set('reader', resolved.reader);
    await next();
    c.header('Cache-Control', 'private, no-store');
    c.header('Vary', 'Authorization, Cookie');
  };
}
