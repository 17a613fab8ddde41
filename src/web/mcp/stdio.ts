import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpDeps, type McpReader } from './server.ts';

/**
 * `papersift mcp`: the MCP server on stdin/stdout until the client closes stdin. Stdout carries only
 * the protocol (the logger writes to stderr).
 */
export async function serveMcpOverStdio(deps: McpDeps, reader: McpReader | null = null): Promise<void> {
  const server = createMcpServer(deps, reader);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
