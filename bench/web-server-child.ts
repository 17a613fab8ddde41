/**
 * One server of the web load bench, run in its own process so the load generator in the parent
 * never competes with it for the same event loop (the machine has two cores: one each).
 *   app FILE     papersift's web app over the SQLite store FILE
 *   app-uncached FILE  the same with the page cache off (PAPERSIFT_PAGE_CACHE_MB=0): every request built
 *   static FILE  the same kind of server (@hono/node-server) serving FILE as a static file, with
 *                FILE.br and FILE.gz precompressed beside it for a request that accepts them and
 *                the response headers listed in FILE.headers.json (the app's), so both send the
 *                same bytes with the same headers
 *   memory FILE  the floor under both: node:http alone answering every request with the same files
 *                and headers held in memory (br, else gzip, else identity, as Accept-Encoding allows)
 * Reports `{ url }` to the parent over IPC once it listens; exits when the parent disconnects.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { createAppContext } from '../src/cli/context.ts';
import { loadConfig } from '../src/config/config.ts';
import { startWebServer } from '../src/web/server.ts';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'app' && mode !== 'app-uncached' && mode !== 'static' && mode !== 'memory') || !file || !process.send) throw new Error('usage (forked): web-server-child.ts app|app-uncached|static|memory FILE');

let url: string;
if (mode === 'app' || mode === 'app-uncached') {
  const ctx = await createAppContext(
    // The load comes from one client address: the per-client rate limit is off, or it would measure 429s.
    loadConfig({ DATABASE_URL: file, PAPERSIFT_LIVE_INGEST: 'off', PAPERSIFT_ENRICH: 'off', PAPERSIFT_SNAPSHOT: 'off', LOG_LEVEL: 'error', PAPERSIFT_HISTORY_DAYS: '7', PAPERSIFT_RATE_LIMIT_PER_MINUTE: '0', PAPERSIFT_PAGE_CACHE_MB: mode === 'app' ? '32' : '0',
      // The scale run compares searches taking turns (the default) with no limit.
      ...(process.env.PAPERSIFT_SEARCH_CONCURRENCY ? { PAPERSIFT_SEARCH_CONCURRENCY: process.env.PAPERSIFT_SEARCH_CONCURRENCY } : {}),
    }),
  );
  url = (await startWebServer(ctx, { port: 0, host: '127.0.0.1' })).url;
} else if (mode === 'memory') {
  const headers = Object.fromEntries(JSON.parse(fs.readFileSync(`${file}.headers.json`, 'utf8')) as Array<[string, string]>);
  const bodies = { br: fs.readFileSync(`${file}.br`), gzip: fs.readFileSync(`${file}.gz`), identity: fs.readFileSync(file) };
  const server = http.createServer((request, response) => {
    const accepted = request.headers['accept-encoding'] ?? '';
    const coding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity';
    const body = bodies[coding];
    response.writeHead(200, { ...headers, 'content-length': body.byteLength, vary: 'Accept-Encoding', ...(coding === 'identity' ? {} : { 'content-encoding': coding }) });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
} else {
  // serveStatic reads the file for every request (from the page cache), like any static-file server.
  const headers = JSON.parse(fs.readFileSync(`${file}.headers.json`, 'utf8')) as Array<[string, string]>;
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of headers) c.res.headers.set(name, value);
  });
  app.get('*', serveStatic({ root: path.dirname(file), rewriteRequestPath: () => `/${path.basename(file)}`, precompressed: true }));
  url = await new Promise<string>((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
  });
}
process.send({ url });
process.on('disconnect', () => process.exit(0));
