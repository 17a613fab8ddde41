import type { MiddlewareHandler } from 'hono';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RateGate } from '../domain/rate-gate.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Store } from '../store/store.ts';

/**
 * Prometheus metrics for /metrics. Store figures (papers, LLM ledger totals, jobs by state) are read
 * when scraped, from the database every process shares, so any replica reports the same truth; the
 * request-latency histogram is this process's own. One registry per app: tests build several.
 */
export interface Metrics {
  registry: Registry;
  middleware: MiddlewareHandler;
}

export function createMetrics(store: Store, queue: JobQueue | null, gates: readonly RateGate[] = []): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'papersift_process_' });

  new Gauge({
    name: 'papersift_papers_stored',
    help: 'Papers in the store.',
    registers: [registry],
    async collect() {
      this.set(await store.papers.count());
    },
  });

  // The ledger's all-time totals: one row, none on an empty ledger; an unknown price counts 0.
  const llm = async () => {
    const [row] = await store.ledger.totals('total');
    return { calls: row?.calls ?? 0, tokensIn: row?.tokensIn ?? 0, tokensOut: row?.tokensOut ?? 0, costUsd: row?.costUsd ?? 0 };
  };
  new Gauge({
    name: 'papersift_llm_tokens',
    help: 'LLM tokens recorded in the ledger, by direction (all time).',
    labelNames: ['direction'],
    registers: [registry],
    async collect() {
      const row = await llm();
      this.set({ direction: 'input' }, row.tokensIn);
      this.set({ direction: 'output' }, row.tokensOut);
    },
  });
  new Gauge({
    name: 'papersift_llm_cost_usd',
    help: 'Estimated LLM cost in USD recorded in the ledger (all time; unknown prices count 0).',
    registers: [registry],
    async collect() {
      this.set((await llm()).costUsd);
    },
  });
  new Gauge({
    name: 'papersift_llm_calls',
    help: 'LLM requests recorded in the ledger (all time).',
    registers: [registry],
    async collect() {
      this.set((await llm()).calls);
    },
  });
  new Gauge({
    name: 'papersift_jobs',
    help: 'Jobs in the queue by stage and state (dead = out of retries). Empty when the queue is not in use.',
    labelNames: ['stage', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!queue) return;
      for (const c of await queue.counts()) this.set({ stage: c.stage, state: c.state }, c.count);
    },
  });

  // The shared rate gates (docs/deploy.md): each service's setting and how long a request asking now would wait.
  const gateStates = () => Promise.all(gates.map((gate) => gate.state()));
  new Gauge({
    name: 'papersift_rate_gate_wait_seconds',
    help: 'How long a request to the service asking now would wait for its turn, across all processes on the store.',
    labelNames: ['service'],
    registers: [registry],
    async collect() {
      for (const state of await gateStates()) this.set({ service: state.service }, state.waitMs / 1000);
    },
  });
  new Gauge({
    name: 'papersift_rate_gate_in_flight',
    help: 'Requests to the service in flight across all processes on the store.',
    labelNames: ['service'],
    registers: [registry],
    async collect() {
      for (const state of await gateStates()) this.set({ service: state.service }, state.inFlight);
    },
  });
  new Gauge({
    name: 'papersift_rate_gate_setting',
    help: 'Each shared rate gate setting: min_interval_seconds, max_concurrent, budget_requests and budget_window_seconds (0 without a budget).',
    labelNames: ['service', 'setting'],
    registers: [registry],
    collect() {
      for (const { settings: s } of gates) {
        this.set({ service: s.service, setting: 'min_interval_seconds' }, s.minIntervalMs / 1000);
        this.set({ service: s.service, setting: 'max_concurrent' }, s.maxConcurrent);
        this.set({ service: s.service, setting: 'budget_requests' }, s.budget?.count ?? 0);
        this.set({ service: s.service, setting: 'budget_window_seconds' }, (s.budget?.windowMs ?? 0) / 1000);
      }
    },
  });

  const latency = new Histogram({
    name: 'papersift_http_request_duration_seconds',
    help: 'Web request latency by route pattern, method and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (c, next) => {
    const start = process.hrtime.bigint();
    await next();
    // The matched pattern (/papers/:id…), never the raw path: labels stay few.
    const route = c.req.routePath || 'unmatched';
    latency.observe({ method: c.req.method, route, status: String(c.res.status) }, Number(process.hrtime.bigint() - start) / 1e9);
  };
  return { registry, middleware };
}
