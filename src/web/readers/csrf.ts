import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

const COOKIE = 'papersift_csrf';

export const secureRequest = (c: Context, publicUrl: string | null) => (publicUrl ?? c.req.url).startsWith('https:');

/**
 * The form's CSRF token (double submit): a random value in a SameSite=Strict cookie that the form
 * repeats in a hidden field. Another site can make a browser POST here, but can neither read the
 * cookie nor set it, so it cannot send a matching field.
 */
export function csrfToken(c: Context, publicUrl: string | null): string {
  const existing = getCookie(c, COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secureRequest(c, publicUrl) });
  return token;
}

/** Whether a form POST carries the cookie's token, and comes from this site when the browser says where from. */
export function csrfValid(c: Context, field: unknown, publicUrl: string | null): boolean {
  const origin = c.req.header('Origin');
  const ours = [new URL(c.req.url).origin, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  if (origin !== undefined && !ours.includes(origin)) return false;
  const cookie = getCookie(c, COOKIE);
  if (typeof field !== 'string' || !cookie || field.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(field), Buffer.from(cookie));
}
