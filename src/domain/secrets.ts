import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets papersift hands out (API tokens, sessions, sign-in links, personal feed URLs): 256 random
 * bits, base64url, behind a prefix that says what the secret is (so a leaked one is recognisable in
 * logs and secret scanners). Only their SHA-256 is stored: a copy of the database grants nothing.
 * A plain hash suffices (no slow KDF) because the secret itself has 256 bits of entropy.
 */
export type SecretKind = 'api' | 'session' | 'sign-in' | 'feed';

const PREFIX: Record<SecretKind, string> = { api: 'pst_', session: 'pss_', 'sign-in': 'psl_', feed: 'psf_' };

export function newSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `text` has the shape of a secret of `kind` (cheap refusal before any lookup). */
export function looksLikeSecret(text: string, kind: SecretKind): boolean {
  return text.startsWith(PREFIX[kind]) && /^[A-Za-z0-9_-]{43}$/.test(text.slice(PREFIX[kind].length));
}
