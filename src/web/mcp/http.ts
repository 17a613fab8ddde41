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
export function rpcError(c: Context, status: 400 | 403 | 405 | 413 | 429 | 503, message: string) {
  return c.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, status);
}

export function mcpHttpHandler(deps: McpDeps, options: { allowedOrigins: readonly string[]; maxBodyBytes: number }) {
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
    const server = createMcpServer(deps);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: options.maxBodyBytes });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  };
}
