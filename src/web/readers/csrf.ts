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

/**
 * Whether a POST comes from a page of this site, by the headers browsers set and pages cannot (Origin,
 * Sec-Fetch-Site): the CSRF defence of the card buttons, which sit on pages shared by every visitor
 * (the page cache), so they cannot carry a per-browser token. The session cookie is SameSite=Lax besides,
 * so another site's form does not carry it. A request with neither header is refused.
 */
export function sameSiteRequest(c: Context, publicUrl: string | null): boolean {
  const origin = c.req.header('Origin');
  if (origin !== undefined) return [new URL(c.req.url).origin, ...(publicUrl ? [new URL(publicUrl).origin] : [])].includes(origin);
  return c.req.header('Sec-Fetch-Site') === 'same-origin';
}
