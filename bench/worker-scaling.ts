import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_SNAPSHOT_PATH, loadConfig, PROJECT_ROOT } from '../src/config/config.ts';
import { ingestSnapshot } from '../src/ingest/ingest-snapshot.ts';
import { openJobQueue } from '../src/jobs/open-queue.ts';
import { summarizeJob } from '../src/jobs/queue.ts';
import { openStore } from '../src/store/store.ts';
import { startFakeLlmServer } from '../test/helpers/fake-llm-servers.ts';
import { startPostgresCluster } from '../test/helpers/postgres.ts';
import { goodAnswer } from '../test/llm/kit.ts';
import { ratioTo, type BenchResult } from './types.ts';

/**
 * Summarise-stage throughput with 1, 2 and 4 `papersift worker` processes on a throw-away PostgreSQL
 * cluster, against the fake OpenAI-compatible provider on loopback answering after a fixed latency.
 * Each run starts from the same stored papers (a template database) and times from enqueueing the
 * summarise jobs (workers already started) to the last summary stored. Scaling efficiency is
 * throughput(N) / (N × throughput(1)): 1.0 is perfect scaling.
 */
const LATENCY_MS = 200;
const CONCURRENCY = 2;
const PAPERS = 120;
const CLI = path.join(PROJECT_ROOT, 'bin/papersift.mjs');

export async function benchWorkerScaling(): Promise<BenchResult[]> {
  const cluster = await startPostgresCluster();
  const fake = await startFakeLlmServer(async (request) => ({ answer: await goodAnswer(request), delayMs: LATENCY_MS }));
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const urlOf = (name: string) => Object.assign(new URL(cluster.url), { pathname: `/${name}` }).toString();
  try {
    await admin.query('CREATE DATABASE bench_template');
    const template = await openStore({ dialect: 'postgres', url: urlOf('bench_template') });
    await ingestSnapshot(template, DEFAULT_SNAPSHOT_PATH);
    await template.close();

    const rates = new Map<number, number>();
    for (const workers of [1, 2, 4]) {
      const name = `bench_${workers}`;
      await admin.query(`CREATE DATABASE ${name} TEMPLATE bench_template`);
      const url = urlOf(name);
      const config = loadConfig({ DATABASE_URL: url });
      const store = await openStore(config.database);
      const queue = await openJobQueue(config, store);
      const children: ChildProcess[] = [];
      try {
        const ready = Array.from({ length: workers }, () => {
          const child = spawn(process.execPath, [CLI, 'worker', '--concurrency', String(CONCURRENCY), '--stages', 'summarize'], {
            env: {
              ...process.env,
              DATABASE_URL: url,
              PAPERSIFT_LIVE_INGEST: 'off',
              PAPERSIFT_ENRICH: 'off',
              PAPERSIFT_LLM: 'openai-compatible:fake-model',
              LLM_BASE_URL: fake.baseUrl,
              LLM_CONCURRENCY: String(CONCURRENCY),
              LLM_REQUESTS_PER_MINUTE: '100000',
              LOG_LEVEL: 'warn',
            },
            stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          });
          children.push(child);
          return new Promise<void>((resolve) => child.on('message', () => resolve()));
        });
        await Promise.all(ready);
        const papers = await store.db.selectFrom('papers').select(['id', 'latest_version']).orderBy('seq').limit(PAPERS).execute();
        const start = performance.now();
        await queue.enqueue(papers.map((p) => summarizeJob(p.id, p.latest_version)));
        for (;;) {
          const row = await store.db.selectFrom('summaries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          if (Number(row.n) >= PAPERS) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        rates.set(workers, PAPERS / ((performance.now() - start) / 1000));
      } finally {
        for (const child of children) child.kill('SIGTERM');
        await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
        await queue.close();
        await store.close();
      }
    }
    const one = rates.get(1)!;
    const results: BenchResult[] = [];
    for (const [workers, rate] of rates) {
      results.push({
        name: `summarise stage, ${workers} worker${workers > 1 ? 's' : ''} (PostgreSQL)`,
        value: Math.round(rate * 10) / 10,
        unit: 'papers/s',
        note: `${PAPERS} papers, ${CONCURRENCY} jobs at once per worker, fake provider latency ${LATENCY_MS} ms; ideal ${((workers * CONCURRENCY * 1000) / LATENCY_MS).toFixed(0)} papers/s`,
        ...(workers > 1 ? { ratio: ratioTo(rate, one, 'one worker') } : {}),
      });
    }
    for (const workers of [2, 4]) {
      results.push({ name: `summarise scaling efficiency, ${workers} workers`, value: Math.round((rates.get(workers)! / (workers * one)) * 100) / 100, unit: 'ratio', note: `throughput(${workers}) / (${workers} × throughput(1)); 1.0 is perfect; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores` });
    }
    return results;
  } finally {
    await admin.end();
    await fake.close();
    cluster.stop();
  }
}
