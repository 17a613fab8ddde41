import { execFile, fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { z } from 'zod';
import { parseRetryAfterMs } from '../src/http/retry-policy.ts';
import { prepareWebBenchStore, WEB_BENCH_DIR } from './web-store.ts';
import type { BenchResult } from './types.ts';

const CONNECTIONS = 50;
/** What a browser sends (Chrome, Firefox, Safari all offer br and gzip): the load asks the same of every server. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br';

export interface BenchServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts bench/web-server-child.ts in its own process and waits until it listens; `env` adds to its environment. */
export function startServer(mode: 'app' | 'app-uncached' | 'static' | 'memory', file: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'web-server-child.ts'), [mode, file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench ${mode} server exited with ${code} before listening`)));
    child.once('message', (message) => {
      const { url } = message as { url: string };
      resolve({
        url,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.disconnect();
          }),
      });
    });
  });
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** The server process's CPU time (user + system) per request, in µs: less moved by other work on the machine than rates are. */
  cpuUsPerRequest?: number;
}

/** A process's CPU time so far (user + system), in µs, from /proc (Linux; clock ticks of 10 ms). */
function cpuTimeUs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After the command: state is field 3, utime and stime fields 14 and 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

export interface LoadOptions {
  /** Sent with every request; null sends none (identity). */
  acceptEncoding?: string | null;
  /** The server's process, to measure its CPU time per request. */
  serverPid?: number;
}

/**
 * The load generator: wrk (C, Debian's `wrk`) where installed, else autocannon (npm). On a 2-core
 * machine the generator shares the cores with the server: autocannon, in JavaScript, spends more CPU
 * per response than the server's cache hit does (node:http sending the digest from memory measured
 * p99 59 ms with it), so its latency is mostly its own. `PAPERSIFT_BENCH_LOAD=autocannon` forces it.
 */
export function loadGenerator(): 'wrk' | 'autocannon' {
  if (process.env.PAPERSIFT_BENCH_LOAD === 'autocannon') return 'autocannon';
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

interface Raw {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: string | null;
}

async function runAutocannon(url: string, paths: readonly string[], seconds: number, acceptEncoding: string | null): Promise<Raw> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding },
    // A slow target is measured, not failed: its latency shows in p99.
    timeout: 60,
    requests: [
      {
        setupRequest: (request) => {
          request.path = paths[next++ % paths.length]!;
          return request;
        },
      },
    ],
  });
  const failed = result.errors > 0 || result.timeouts > 0 || result.non2xx > 0;
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: failed ? `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses` : null,
  };
}

// What the Lua script's done() prints: wrk's own counters (latencies in µs).
const wrkSummarySchema = z.object({
  requests: z.number().int(),
  duration_us: z.number(),
  p50_us: z.number(),
  p99_us: z.number(),
  connect: z.number().int(),
  read: z.number().int(),
  write: z.number().int(),
  status: z.number().int(),
  timeout: z.number().int(),
});

async function runWrk(url: string, paths: readonly string[], seconds: number, acceptEncoding: string | null): Promise<Raw> {
  // One thread: the other core is the server's. Paths are taken in turn by a Lua script, which also
  // prints the summary as JSON (wrk counts a non-2xx/3xx answer as a "status" error).
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-wrk-')), 'load.lua');
  fs.writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local i = 0
${acceptEncoding === null ? '' : `wrk.headers["Accept-Encoding"] = ${JSON.stringify(acceptEncoding)}`}
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i - 1) % #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\n{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
`,
  );
  try {
    const { stdout } = await promisify(execFile)('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '60s', '-s', script, url], { maxBuffer: 16 * 2 ** 20 });
    const line = stdout.split('\n').find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
    const summary = wrkSummarySchema.parse(JSON.parse(line));
    const failures = summary.connect + summary.read + summary.write + summary.status + summary.timeout;
    return {
      requests: summary.requests,
      seconds: summary.duration_us / 1e6,
      p50: Math.round(summary.p50_us / 100) / 10,
      p99: Math.round(summary.p99_us / 100) / 10,
      failures: failures > 0 ? `${summary.connect} connect, ${summary.read} read, ${summary.write} write errors, ${summary.timeout} timeouts, ${summary.status} non-2xx/3xx responses` : null,
    };
  } finally {
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
  }
}

/**
 * `CONNECTIONS` keep-alive connections for `seconds`, each request's path taken in turn from
 * `paths` (so a paper or search bench is not one cached URL). Any error or non-2xx fails the bench.
 */
export async function load(url: string, paths: readonly string[], seconds: number, options: LoadOptions = {}): Promise<Load> {
  const acceptEncoding = options.acceptEncoding === undefined ? BROWSER_ACCEPT_ENCODING : options.acceptEncoding;
  const cpuBefore = options.serverPid === undefined ? null : cpuTimeUs(options.serverPid);
  const raw = loadGenerator() === 'wrk' ? await runWrk(url, paths, seconds, acceptEncoding) : await runAutocannon(url, paths, seconds, acceptEncoding);
  if (raw.failures !== null || raw.requests === 0) throw new Error(`load on ${url}${paths[0]}: ${raw.failures ?? 'no failures'}, ${raw.requests} answered`);
  const cpuUsPerRequest = cpuBefore === null ? undefined : Math.round((cpuTimeUs(options.serverPid!) - cpuBefore) / raw.requests);
  return { rps: Math.round(raw.requests / raw.seconds), p50: raw.p50, p99: raw.p99, requests: raw.requests, cpuUsPerRequest };
}

/** The q-quantile of request times in whole ms (nearest rank); 0 when there are none. */
function quantileMs(times: readonly number[], q: number): number {
  if (times.length === 0) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
}

/**
 * Latency of requests sent one at a time, each path in turn for `rounds` rounds: what one visitor
 * waits, for pages whose 50-connection load measures only how concurrent requests pile up.
 */
export async function sequentialLatency(url: string, paths: readonly string[], rounds: number): Promise<Load> {
  const times: number[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const p of paths) {
      const t0 = performance.now();
      await getAsSent(`${url}${p}`, BROWSER_ACCEPT_ENCODING);
      times.push(performance.now() - t0);
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  return { rps: Math.round((times.length / elapsed) * 100) / 100, p50: quantileMs(times, 0.5), p99: quantileMs(times, 0.99), requests: times.length };
}

export interface OverloadRun {
  /** The 200 answers: their rate over the window, and their latency. */
  answered: Load;
  /** Requests refused with 503 (the server's overload answer), and the slowest of those refusals. */
  refused: { requests: number; p99: number };
}

/**
 * `connections` clients for `seconds`, each sending its next request as soon as the last one was
 * answered (paths in turn), counting 200s and 503s apart: what a server does when asked for more
 * than it can do. Unlike wrk, latency is kept per outcome, so fast refusals do not hide slow answers.
 * A client refused with 503 waits what Retry-After says before its next request (as a polite client
 * does; `ignoreRetryAfter` sends the next at once, as a scraper might). Requests still in flight at the
 * end are waited for and counted; any other status or a network error fails the bench.
 */
export async function overloadRun(url: string, paths: readonly string[], seconds: number, options: { connections?: number; ignoreRetryAfter?: boolean } = {}): Promise<OverloadRun> {
  const connections = options.connections ?? CONNECTIONS;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const answered: number[] = [];
  const refused: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const client = async () => {
    while (performance.now() < deadline) {
      const target = `${url}${paths[next++ % paths.length]!}`;
      const t0 = performance.now();
      const { status, retryAfterMs } = await new Promise<{ status: number; retryAfterMs: number }>((resolve, reject) => {
        http
          .get(target, { agent, headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING }, timeout: 60_000 }, (response) => {
            response.resume();
            response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], Date.now()) ?? 0 }));
          })
          .on('timeout', function (this: http.ClientRequest) {
            this.destroy(new Error(`GET ${target}: no answer within 60 s`));
          })
          .on('error', reject);
      });
      const ms = performance.now() - t0;
      if (status === 200) answered.push(ms);
      else if (status === 503) refused.push(ms);
      else throw new Error(`GET ${target} answered ${status}`);
      if (status === 503 && !options.ignoreRetryAfter) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(retryAfterMs, deadline - performance.now()))));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, client));
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    answered: { rps: Math.round((answered.length / elapsed) * 10) / 10, p50: quantileMs(answered, 0.5), p99: quantileMs(answered, 0.99), requests: answered.length },
    refused: { requests: refused.length, p99: quantileMs(refused, 0.99) },
  };
}

export interface Sent {
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** One GET with exactly this Accept-Encoding, the body as sent (not decoded). */
function getAsSent(url: string, acceptEncoding: string | null): Promise<Sent> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve({ body: Buffer.concat(chunks), headers: response.headers }) : reject(new Error(`GET ${url} answered ${response.statusCode}`))));
      })
      .on('error', reject);
  });
}

// Headers the static server sets itself, per connection or per body.
const OWN_HEADERS = new Set(['content-length', 'content-encoding', 'vary', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/**
 * The digest as the app sends it with no Accept-Encoding, with a browser's and with gzip only, once
 * the page cache has replaced its first brotli 5 body by the brotli 11 one (at most `waitMs`; on a
 * busy machine that recompression takes a few seconds).
 */
export async function digestAsSent(url: string, waitMs = 30_000): Promise<{ identity: Sent; br: Sent; gzip: Sent }> {
  const identity = await getAsSent(`${url}/`, null);
  const best = zlib.brotliCompressSync(identity.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.body.byteLength } });
  let br = await getAsSent(`${url}/`, BROWSER_ACCEPT_ENCODING);
  for (const until = Date.now() + waitMs; br.body.byteLength > best.byteLength && Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    br = await getAsSent(`${url}/`, BROWSER_ACCEPT_ENCODING);
  }
  const gzip = await getAsSent(`${url}/`, 'gzip');
  if (br.headers['content-encoding'] !== 'br' || gzip.headers['content-encoding'] !== 'gzip') throw new Error('the digest did not come compressed');
  if (!zlib.brotliDecompressSync(br.body).equals(identity.body)) throw new Error('the br digest does not decode to the identity one');
  return { identity, br, gzip };
}

/**
 * The static baseline's files: the digest exactly as the app sent it in each coding (identity, br,
 * gzip), and the app's other response headers (security headers, Cache-Control, Content-Type, the
 * br ETag) for it to send too.
 */
export function writeStaticDigest(file: string, identity: Sent, br: Sent, gzip: Sent): void {
  fs.writeFileSync(file, identity.body);
  fs.writeFileSync(`${file}.br`, br.body);
  fs.writeFileSync(`${file}.gz`, gzip.body);
  const headers = Object.entries(br.headers).flatMap(([name, value]) => (OWN_HEADERS.has(name) || typeof value !== 'string' ? [] : [[name, value]]));
  fs.writeFileSync(`${file}.headers.json`, JSON.stringify(headers));
}

/**
 * `npm run bench`'s web load: requests/s and latency of /, /papers/:id and /search against a store of
 * 100,000 papers, next to a static-file server sending the same digest HTML, all measured in this run
 * with 50 connections over loopback. Each target gets a warm-up first (JIT, SQLite page cache).
 */
export async function benchWebLoad(seconds = 10, warmupSeconds = 3): Promise<BenchResult[]> {
  const store = await prepareWebBenchStore();
  const paperPaths = store.paperIds.map((id) => `/papers/${id}`);
  const searchPaths = store.queries.map((q) => `/search?q=${encodeURIComponent(q)}`);
  const app = await startServer('app', store.file);
  const figures = new Map<string, Load>();
  let sent: { identity: Sent; br: Sent; gzip: Sent };
  try {
    // Rendered once alone, then warmed up: the digest is kept (50 connections at once on an empty
    // cache would each render it), and its brotli 11 body has replaced the first brotli 5 one.
    await getAsSent(`${app.url}/`, BROWSER_ACCEPT_ENCODING);
    await load(app.url, ['/'], warmupSeconds);
    sent = await digestAsSent(app.url);
    const targets: Array<[string, string[], string | null]> = [
      ['digest', ['/'], BROWSER_ACCEPT_ENCODING],
      ['digest identity', ['/'], null],
      ['paper', paperPaths, BROWSER_ACCEPT_ENCODING],
      ['search', searchPaths, BROWSER_ACCEPT_ENCODING],
    ];
    for (const [name, paths, acceptEncoding] of targets) {
      await load(app.url, paths, warmupSeconds, { acceptEncoding });
      figures.set(name, await load(app.url, paths, seconds, { acceptEncoding, serverPid: app.pid }));
    }
  } finally {
    await app.stop();
  }
  // The same paper pages and searches with the page cache off: what a page not seen since the last
  // store change costs (after every commit, and for every new query, the cached server pays this).
  const uncached = await startServer('app-uncached', store.file);
  try {
    for (const [name, paths] of [['paper uncached', paperPaths], ['search uncached', searchPaths]] as const) {
      await load(uncached.url, paths, warmupSeconds, { acceptEncoding: BROWSER_ACCEPT_ENCODING });
      figures.set(name, await load(uncached.url, paths, seconds, { acceptEncoding: BROWSER_ACCEPT_ENCODING, serverPid: uncached.pid }));
    }
  } finally {
    await uncached.stop();
  }
  const staticFile = path.join(WEB_BENCH_DIR, 'digest.html');
  writeStaticDigest(staticFile, sent.identity, sent.br, sent.gzip);
  const baseline = await startServer('static', staticFile);
  try {
    for (const [name, acceptEncoding] of [['static', BROWSER_ACCEPT_ENCODING], ['static identity', null]] as const) {
      await load(baseline.url, ['/'], warmupSeconds, { acceptEncoding });
      figures.set(name, await load(baseline.url, ['/'], seconds, { acceptEncoding, serverPid: baseline.pid }));
    }
  } finally {
    await baseline.stop();
  }
  const floor = await startServer('memory', staticFile);
  try {
    await load(floor.url, ['/'], warmupSeconds);
    figures.set('memory', await load(floor.url, ['/'], seconds, { serverPid: floor.pid }));
  } finally {
    await floor.stop();
  }

  const s = figures.get('static')!;
  const d = figures.get('digest')!;
  const si = figures.get('static identity')!;
  const di = figures.get('digest identity')!;
  const m = figures.get('memory')!;
  const latency = (f: Load) => `p50 ${f.p50} ms, p99 ${f.p99} ms, server CPU ${f.cpuUsPerRequest} µs/request`;
  const share = (f: Load, to = s) => `${Math.round((100 * f.rps) / to.rps)} % of static`;
  const bytes = (b: Sent) => b.body.byteLength.toLocaleString('en-US');
  const sizes = `br ${bytes(sent.br)} bytes (identity ${bytes(sent.identity)}, gzip ${bytes(sent.gzip)})`;
  const setup = `${loadGenerator()}, ${CONNECTIONS} connections, ${seconds} s, Accept-Encoding "${BROWSER_ACCEPT_ENCODING}", 100,000 papers${store.built ? ' (store built this run)' : ''}; load average ${os.loadavg()[0]!.toFixed(1)}`;
  return [
    { name: 'web: static file, same digest bytes and headers (baseline)', value: s.rps, unit: 'requests/s', note: `${latency(s)}; ${sizes}; ${setup}` },
    { name: 'web: digest /', value: d.rps, unit: 'requests/s', note: `${latency(d)}; ${share(d)}, ${Math.round((100 * d.rps) / m.rps)} % of the memory floor; target ≥ 50 % of static and p99 < 50 ms` },
    { name: 'web: paper page /papers/:id', value: figures.get('paper')!.rps, unit: 'requests/s', note: `${latency(figures.get('paper')!)}; ${share(figures.get('paper')!)}; ${store.paperIds.length} papers in turn, page cache on (more pages than it holds)` },
    { name: 'web: paper page, page cache off', value: figures.get('paper uncached')!.rps, unit: 'requests/s', note: `${latency(figures.get('paper uncached')!)}; every request queried, rendered and compressed (brotli 5)` },
    { name: 'web: search /search?q=', value: figures.get('search')!.rps, unit: 'requests/s', note: `${latency(figures.get('search')!)}; ${share(figures.get('search')!)}; ${store.queries.length} queries in turn, page cache on (they fit in it: mostly hits)` },
    { name: 'web: search, page cache off', value: figures.get('search uncached')!.rps, unit: 'requests/s', note: `${latency(figures.get('search uncached')!)}; every request ranked, rendered and compressed (a new query)` },
    { name: 'web: digest rps / static rps', value: Number((d.rps / s.rps).toFixed(2)), unit: 'ratio', note: 'target ≥ 0.5' },
    { name: 'web: same bytes from memory, node:http alone (floor)', value: m.rps, unit: 'requests/s', note: `${latency(m)}; what any Node server sending these bytes over these connections can reach here` },
    { name: 'web: static file, uncompressed (no Accept-Encoding)', value: si.rps, unit: 'requests/s', note: `${latency(si)}; ${bytes(sent.identity)} bytes` },
    { name: 'web: digest /, uncompressed (no Accept-Encoding)', value: di.rps, unit: 'requests/s', note: `${latency(di)}; ${share(di, si)} uncompressed` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchWebLoad()) console.log(`${r.name}: ${r.value} ${r.unit} (${r.note})`);
}
