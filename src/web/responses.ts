import type { Context } from 'hono';

type PageNode = { toString(): string | Promise<string> };

/** Every page is a full HTML document: the doctype keeps browsers out of quirks mode. */
export async function sendPage(c: Context, node: PageNode, status: 200 | 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503 = 200) {
  return c.html(`<!DOCTYPE html>${await node.toString()}`, status);
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503;

/** The one error shape of the JSON API: `{ error: { status, message } }` (api-schemas.ts describes it). */
export function jsonError<Status extends ErrorStatus>(c: Context, status: Status, message: string) {
  return c.json({ error: { status, message } }, status);
}
