import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { prepareWebBenchStore, WEB_BENCH_DIR } from './web-store.ts';
import type { BenchResult } from './types.ts';

const CONNECTIONS = 50;

export interface BenchServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts bench/web-server-child.ts in its own process and waits until it listens. */
export function startServer(mode: 'app' | 'static', file: string): Promise<BenchServer> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'web-server-child.ts'), [mode, file], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
}

/**
 * `CONNECTIONS` keep-alive connections for `seconds`, each request's path taken in turn from
 * `paths` (so a paper or search bench is not one cached URL). Any error or non-2xx fails the bench.
 */
export async function load(url: string, paths: readonly string[], seconds: number): Promise<Load> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
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
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`load on ${url}${paths[0]}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`);
  }
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
}

/**
 * `npm run bench`'s web load: requests/s and latency of /, /papers/:id and /search against a store of
 * 100,000 papers, next to a static-file server sending the same digest HTML, all measured in this run
 * with 50 connections over loopback. Each target gets a warm-up first (JIT, SQLite page cache).
 */
export async function benchWebLoad(seconds = 10, warmupSeconds = 3): Promise<BenchResult[]> {
  const store = await prepareWebBenchStore();
  const app = await startServer('app', store.file);
  let digestHtml: Buffer;
  const figures = new Map<string, Load>();
  try {
    const response = await fetch(`${app.url}/`);
    if (response.status !== 200) throw new Error(`GET / answered ${response.status}`);
    digestHtml = Buffer.from(await response.arrayBuffer());
    const targets: Array<[string, string[]]> = [
      ['digest', ['/']],
      ['paper', store.paperIds.map((id) => `/papers/${id}`)],
      ['search', store.queries.map((q) => `/search?q=${encodeURIComponent(q)}`)],
    ];
    for (const [name, paths] of targets) {
      await load(app.url, paths, warmupSeconds);
      figures.set(name, await load(app.url, paths, seconds));
    }
  } finally {
    await app.stop();
  }
  const staticFile = path.join(WEB_BENCH_DIR, 'digest.html');
  fs.writeFileSync(staticFile, digestHtml);
  const baseline = await startServer('static', staticFile);
  try {
    await load(baseline.url, ['/'], warmupSeconds);
    figures.set('static', await load(baseline.url, ['/'], seconds));
  } finally {
    await baseline.stop();
  }

  const s = figures.get('static')!;
  const d = figures.get('digest')!;
  const latency = (f: Load) => `p50 ${f.p50} ms, p99 ${f.p99} ms`;
  const share = (f: Load) => `${Math.round((100 * f.rps) / s.rps)} % of static`;
  const setup = `${CONNECTIONS} connections, ${seconds} s, 100,000 papers${store.built ? ' (store built this run)' : ''}; load average ${os.loadavg()[0]!.toFixed(1)}`;
  return [
    { name: 'web: static file, same digest HTML (baseline)', value: s.rps, unit: 'requests/s', note: `${latency(s)}; ${digestHtml.length.toLocaleString('en-US')} bytes; ${setup}` },
    { name: 'web: digest /', value: d.rps, unit: 'requests/s', note: `${latency(d)}; ${share(d)}; target ≥ 50 % and p99 < 50 ms` },
    { name: 'web: paper page /papers/:id', value: figures.get('paper')!.rps, unit: 'requests/s', note: `${latency(figures.get('paper')!)}; ${share(figures.get('paper')!)}; ${store.paperIds.length} papers in turn` },
    { name: 'web: search /search?q=', value: figures.get('search')!.rps, unit: 'requests/s', note: `${latency(figures.get('search')!)}; ${share(figures.get('search')!)}; ${store.queries.length} queries in turn` },
    { name: 'web: digest rps / static rps', value: Number((d.rps / s.rps).toFixed(2)), unit: 'ratio', note: 'target ≥ 0.5' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchWebLoad()) console.log(`${r.name}: ${r.value} ${r.unit} (${r.note})`);
}
