import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { AppContext } from '../pipeline/context.ts';
import { createApp } from './app.tsx';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the web server; resolves once it listens. Port 0 picks a free port (tests). */
export function startWebServer(ctx: AppContext, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const app = createApp(ctx);
  const host = options.host ?? ctx.config.host;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? ctx.config.port, hostname: host }, (info: AddressInfo) => {
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once('error', reject);
  });
}
