/** Pieces of the OpenAPI routes shared by openapi.ts (public operations) and openapi-me.ts (the reader's). */
import { z } from '@hono/zod-openapi';
import { errorSchema } from './api-schemas.ts';

export const json = <Schema extends z.ZodType>(schema: Schema) => ({ 'application/json': { schema } });
export const error = (description: string) => ({ description, content: json(errorSchema) });
export const retryAfter = (description: string) => z.object({ 'Retry-After': z.number().int().min(1).meta({ description }) });

/** The API's rate limit (app.tsx): one token bucket per client over the whole API and search. */
export const rateLimited = {
  description: 'Too many requests from this client (one token bucket per client address over the whole API and search); nothing was done',
  headers: retryAfter('Whole seconds until one request is allowed again'),
  content: json(errorSchema),
};
