/**
 * Load measurement against real servers on loopback: the web app in a child process (so the load
 * generator does not compete with it for the event loop) and autocannon as the client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../src/config/config.ts';

export interface ChildServer {
  url: string;
  pid: number;
  /** Resident and peak resident memory of the server process, from /proc (Linux). */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses other than 2xx, plus connection errors and timeouts. */
  failures: number;
}

function procStatusMiB(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return Math.round(kib / 1024);
}

async function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening: ${stderr}`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: unknown };
        if (typeof parsed.url === 'string') resolve(parsed.url);
      } catch {
        // a log line, not the announcement
      }
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    memory: () => ({ rssMiB: procStatusMiB(pid, 'VmRSS'), peakMiB: procStatusMiB(pid, 'VmHWM') }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** papersift's web app over the store at `databaseFile`, with no pipeline pass and nothing live. */
export function startStoreServer(databaseFile: string): Promise<ChildServer> {
  return startChild(['--import', 'tsx', path.join(PROJECT_ROOT, 'bench/serve-store.ts')], {
    DATABASE_URL: databaseFile,
    PAPERSIFT_LIVE_INGEST: 'off',
    PAPERSIFT_ENRICH: 'off',
    PAPERSIFT_SNAPSHOT: 'off',
    LOG_LEVEL: 'warn',
  });
}

const STATIC_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const body = fs.readFileSync(process.argv[1]);
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** The baseline: a bare Node HTTP server in its own process answering every request with `htmlFile`'s bytes. */
export function startStaticServer(htmlFile: string): Promise<ChildServer> {
  return startChild(['-e', STATIC_SERVER, htmlFile], {});
}

/** Drives `paths` (taken in turn by every connection) for `durationS` seconds with `connections` connections. */
export async function measureLoad(url: string, paths: readonly string[], options: { connections: number; durationS: number }): Promise<LoadFigures> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationS,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** The body of one GET, to check a route answers before it is loaded, and to copy a page for the baseline. */
export async function fetchPage(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}
