/**
 * The MCP server over Streamable HTTP at /mcp of `serve`: stateless (each POST gets a fresh server
 * and transport, so nothing is kept between requests and any process of a deployment can answer),
 * JSON answers rather than event streams (no tool streams progress). The web app puts the API's rate
 * limit and body limit in front of it; this handler checks the Origin, as the MCP specification asks
 * against DNS rebinding: a web page of another site that made its own host name point at this server
 * would send its own Origin, and is refused.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context } from 'hono';
import { resolveReader } from '../readers/auth.ts';
import type { PersonalDigests } from '../readers/personal-digest.ts';
import { createMcpServer, type McpDeps } from './server.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Loopback origins (a local inspector or client page) and the configured ones. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'));
  } catch {
    return false;
  }
}

/** A JSON-RPC error answer outside any request (id null), the shape MCP clients read. */
export function rpcError(c: Context, status: 400 | 401 | 403 | 405 | 413 | 429 | 503, message: string) {
  return c.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, status);
}

/**
 * A request's Bearer token (or owner mode) names the reader whose tools (my_digest, save_paper) it
 * gets; a wrong token is a 401, and without one in email mode only the public tools exist.
 */
export function mcpHttpHandler(deps: McpDeps, options: { allowedOrigins: readonly string[]; maxBodyBytes: number; digests: PersonalDigests }) {
  return async (c: Context): Promise<Response> => {
    const origin = c.req.header('Origin');
    if (origin !== undefined && !originAllowed(origin, options.allowedOrigins)) {
      return rpcError(c, 403, `Forbidden: requests from origin ${JSON.stringify(origin.slice(0, 100))} are not allowed (PAPERSIFT_MCP_ORIGINS lists the allowed ones)`);
    }
    // Stateless: no event stream to open (GET) and no session to end (DELETE).
    if (c.req.method !== 'POST') {
      c.header('Allow', 'POST');
      return rpcError(c, 405, 'Method not allowed: this MCP endpoint is stateless and takes POST only');
    }
    const resolved = await resolveReader(deps.store, deps.config.auth, c.req.header('Authorization'));
    if (!resolved.ok) {
      c.header('WWW-Authenticate', 'Bearer realm="papersift"');
      return rpcError(c, 401, resolved.message);
    }
    const server = createMcpServer(deps, resolved.reader ? { reader: resolved.reader, digests: options.digests } : null);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: options.maxBodyBytes });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  };
}
