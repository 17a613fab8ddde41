/**
 * The real web app over an existing store, with no pipeline pass: what the load benchmarks measure.
 * `papersift serve` would first run a pass (summarise, score, select whatever is due), which on a
 * generated store is work the benchmark does not mean to time. Prints `{"url": …}` once it listens.
 */
import { createAppContext } from '../src/cli/context.ts';
import { loadConfig } from '../src/config/config.ts';
import { startWebServer } from '../src/web/server.ts';

const ctx = await createAppContext(loadConfig());
const server = await startWebServer(ctx, { port: 0, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n');
const stop = () => void server.close().then(() => ctx.store.destroy()).then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
