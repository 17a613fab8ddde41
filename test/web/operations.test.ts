import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPreparedServer } from '../helpers/server.ts';

/** Operations endpoints on a real server over a real store (SQLite, or PostgreSQL with --backend postgres). */
let prepared: Awaited<ReturnType<typeof startPreparedServer>>;

before(async () => {
  prepared = await startPreparedServer(5);
});
after(() => prepared.close());

test('/readyz says ready once the schema is current', async () => {
  const response = await fetch(`${prepared.server.url}/readyz`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ready' });
});

test('/metrics exposes papers stored, LLM ledger totals, jobs and request latencies in Prometheus text format', async () => {
  await fetch(`${prepared.server.url}/healthz`);
  const response = await fetch(`${prepared.server.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await response.text();
  const papers = Number(/^papersift_papers_stored (\d+)$/m.exec(text)?.[1]);
  const stored = Number((await prepared.ctx.store.db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  assert.equal(papers, stored);
  assert.match(text, /^papersift_llm_tokens\{direction="input"\} \d+$/m);
  assert.match(text, /^papersift_llm_cost_usd \d+/m);
  assert.match(text, /^# TYPE papersift_jobs gauge$/m);
  assert.match(text, /^papersift_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1$/m);
});
