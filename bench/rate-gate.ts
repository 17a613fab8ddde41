import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DatabaseTarget } from '../src/config/config.ts';
import { createStartGate } from '../src/http/start-gate.ts';
import { openStore } from '../src/store/store.ts';
import { startPostgresCluster } from '../test/helpers/postgres.ts';
import { ratioTo, type BenchResult } from './types.ts';

const TURNS = 2_000;

/**
 * What a request's turn costs when the gate is shared through the store (issue 21) instead of kept in
 * the process: acquire and release with no spacing to wait out, one request at a time, on each
 * backend, next to the in-process start gate in the same run. The real spacing (arXiv: 3 s) dwarfs
 * both; the figure says how much CPU and latency each request adds.
 */
export async function benchRateGate(): Promise<BenchResult[]> {
  const local = createStartGate(0);
  for (let i = 0; i < 200; i += 1) await local.waitForTurn(); // warm-up
  const localStart = performance.now();
  for (let i = 0; i < TURNS; i += 1) await local.waitForTurn();
  const localUs = ((performance.now() - localStart) * 1000) / TURNS;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-bench-gate-'));
  const cluster = await startPostgresCluster();
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_gate');
    await admin.end();
    const targets: Array<[string, DatabaseTarget]> = [
      ['SQLite', { dialect: 'sqlite', file: path.join(dir, 'gate.db') }],
      ['PostgreSQL', { dialect: 'postgres', url: Object.assign(new URL(cluster.url), { pathname: '/bench_gate' }).toString() }],
    ];
    const results: BenchResult[] = [
      { name: 'rate gate: in-process start gate (baseline)', value: Number(localUs.toFixed(2)), unit: 'µs/request', note: `${TURNS} turns with no spacing to wait out` },
    ];
    for (const [label, target] of targets) {
      const store = await openStore(target);
      try {
        const gate = store.rateGates.open({ service: 'bench', minIntervalMs: 0, maxConcurrent: 1, budget: { count: 1_000_000, windowMs: 60_000 }, leaseMs: 60_000 });
        for (let i = 0; i < 50; i += 1) await (await gate.acquire()).release(); // warm-up
        const start = performance.now();
        for (let i = 0; i < TURNS; i += 1) await (await gate.acquire()).release();
        const us = ((performance.now() - start) * 1000) / TURNS;
        results.push({
          name: `rate gate: shared through the store, ${label}`,
          value: Math.round(us),
          unit: 'µs/request',
          note: `acquire + release, one transaction each, budget window on; against a 3,000 ms arXiv interval this is ${((us / 3_000_000) * 100).toFixed(3)} %`,
          ratio: ratioTo(us, localUs, 'the in-process gate'),
        });
      } finally {
        await store.close();
      }
    }
    return results;
  } finally {
    cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
