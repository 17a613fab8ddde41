import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { DEFAULT_SNAPSHOT_PATH, loadConfig } from '../../src/config/config.ts';
import { ingestSnapshot } from '../../src/ingest/ingest-snapshot.ts';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { summarizeJob, type JobQueue } from '../../src/jobs/queue.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import { startFakeLlmServer, type FakeLlmServer } from '../helpers/fake-llm-servers.ts';
import { goodAnswer } from '../llm/kit.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { onlyBackend } from '../helpers/database.ts';

const POSTGRES_ONLY = onlyBackend('postgres', "issue 8's acceptance test: worker processes on one PostgreSQL server (pg-boss); the SQLite queue's contract is in queue.test.ts");

/**
 * Issue 8's acceptance test, with real parts: a real PostgreSQL server, four `papersift worker`
 * processes, and an OpenAI-compatible fake provider on loopback whose ledger counts the answers it
 * delivered to a connected client. 2,000 summarise jobs are queued; midway one worker is killed with
 * SIGKILL while every worker slot is inside an LLM call (the provider holds its answers for that
 * moment, so the kill lands mid-job by construction, not by luck). The killed worker's calls are never
 * answered; its jobs' leases expire and other workers take them. At the end every paper version has
 * exactly one summary and exactly one delivered answer: nothing summarised twice, nothing lost.
 */

const PAPERS = 2000;
const WORKERS = 4;
const CONCURRENCY = 4;
const LATENCY_MS = 40;
const LEASE_SECONDS = 6;

let fake: FakeLlmServer;
let store: Store;
let queue: JobQueue;
let databaseUrl: string;
let dropDatabase: () => Promise<void>;
const children: ChildProcess[] = [];

// Answers wait here while the test holds them (see the kill step).
let hold: Promise<void> | null = null;
let release: () => void = () => {};
let held = 0;

before(async () => {
  if (POSTGRES_ONLY.skip) return;
  fake = await startFakeLlmServer(async (request) => {
    if (hold) {
      held += 1;
      await hold;
      held -= 1;
    }
    return { answer: await goodAnswer(request), delayMs: LATENCY_MS };
  });
  const database = await createTestDatabase();
  databaseUrl = database.url;
  dropDatabase = database.drop;
  store = await openStore({ dialect: 'postgres', url: databaseUrl });
  await ingestSnapshot(store, DEFAULT_SNAPSHOT_PATH);
  const config = loadConfig({ DATABASE_URL: databaseUrl, PAPERSIFT_JOB_LEASE_SECONDS: String(LEASE_SECONDS), PAPERSIFT_JOB_BACKOFF_SECONDS: '1' });
  queue = await openJobQueue(config, store);
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue?.close();
  await store?.close();
  await fake?.close();
  await dropDatabase?.();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'worker', '--concurrency', String(CONCURRENCY), '--stages', 'summarize'], {
    env: {
      ...process.env,
      ...OFFLINE_ENV,
      DATABASE_URL: databaseUrl,
      PAPERSIFT_LLM: 'openai-compatible:fake-model',
      LLM_BASE_URL: fake.baseUrl,
      // The LLM's concurrency is shared by every process on the store (issue 21): room for all 16 slots.
      LLM_CONCURRENCY: String(WORKERS * CONCURRENCY),
      LLM_REQUESTS_PER_MINUTE: '100000',
      LLM_TIMEOUT_MS: '60000',
      LLM_MAX_RETRIES: '2',
      PAPERSIFT_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      PAPERSIFT_JOB_BACKOFF_SECONDS: '1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[worker ${child.pid}] ${chunk}`));
  children.push(child);
  return child;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

test('4 workers over 2,000 queued papers, one SIGKILLed midway: every paper summarised exactly once', { ...POSTGRES_ONLY, timeout: 600_000 }, async () => {
  const papers = await store.db.selectFrom('papers').select(['id', 'latest_version']).orderBy('seq').limit(PAPERS).execute();
  assert.equal(papers.length, PAPERS, 'the snapshot holds enough papers');
  const added = await queue.enqueue(papers.map((p) => summarizeJob(p.id, p.latest_version)));
  assert.equal(added, PAPERS);
  assert.equal(await queue.enqueue(papers.slice(0, 100).map((p) => summarizeJob(p.id, p.latest_version))), 0, 'idempotency keys: enqueueing again adds nothing');

  const started = Date.now();
  const workers = Array.from({ length: WORKERS }, () => startWorker());
  await until('a quarter of the papers is answered', () => fake.answered.length >= PAPERS / 4, 300_000);

  // Hold every answer until all 16 slots are inside an LLM call, then kill one worker.
  hold = new Promise<void>((resolve) => (release = resolve));
  await until('every worker slot waits on the provider', () => held === WORKERS * CONCURRENCY, 60_000);
  const victim = workers[1]!;
  const answeredBeforeKill = fake.answered.length;
  victim.kill('SIGKILL');
  await exited(victim);
  await until("the killed worker's calls are seen abandoned", () => fake.abandoned.length === CONCURRENCY, 10_000);
  hold = null;
  release();

  await until('every paper has a summary', async () => {
    const row = await store.db.selectFrom('summaries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n) >= PAPERS;
  }, 400_000);
  const seconds = (Date.now() - started) / 1000;

  // Graceful shutdown of the survivors: SIGTERM, jobs in hand finished, exit code 0.
  const survivors = workers.filter((w) => w !== victim);
  for (const w of survivors) w.kill('SIGTERM');
  assert.deepEqual(await Promise.all(survivors.map(exited)), [0, 0, 0]);

  const key = (id: string, version: number) => `${id}v${version}`;
  const wanted = new Set(papers.map((p) => key(p.id, p.latest_version)));
  const summaries = await store.db.selectFrom('summaries').select(['paper_id', 'version']).execute();
  assert.equal(summaries.length, PAPERS, 'one summary row per paper version');
  assert.deepEqual(new Set(summaries.map((s) => key(s.paper_id, s.version))), wanted);

  // The provider's ledger: every version answered exactly once.
  const answers = new Map<string, number>();
  for (const r of fake.answered) answers.set(r.paper!, (answers.get(r.paper!) ?? 0) + 1);
  const twice = [...answers].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no paper version answered twice');
  assert.equal(answers.size, PAPERS);
  assert.deepEqual(new Set(answers.keys()), wanted);
  // The killed worker's calls were never answered; each of those versions was answered once, later, by another worker.
  const abandoned = fake.abandoned.map((r) => r.paper!);
  assert.equal(abandoned.length, CONCURRENCY);
  for (const paper of abandoned) assert.equal(answers.get(paper), 1, `${paper} answered once after the kill`);

  // papersift's own ledger agrees, and no job is dead or lost.
  const calls = await store.db.selectFrom('llm_calls').select(['paper_id', 'version', 'outcome']).execute();
  assert.equal(calls.filter((c) => c.outcome === 'success').length, PAPERS);
  assert.equal(new Set(calls.map((c) => key(c.paper_id, c.version))).size, PAPERS);
  const counts = await queue.counts();
  const summarize = (state: string) => counts.find((c) => c.stage === 'summarize' && c.state === state)?.count ?? 0;
  assert.equal(summarize('done'), PAPERS);
  assert.equal(summarize('dead') + summarize('queued') + summarize('active') + summarize('retry'), 0);
  const claims = await store.db.selectFrom('summary_claims').selectAll().execute();
  assert.deepEqual(claims, [], 'every claim was released with its summary');
  process.stderr.write(
    `# ${PAPERS} papers, ${WORKERS} workers x ${CONCURRENCY}: ${seconds.toFixed(1)} s; killed one after ${answeredBeforeKill} answers; ` +
      `${abandoned.length} calls abandoned by the killed worker; ${fake.answered.length} answers delivered, ${fake.requests.length} requests in all\n`,
  );
});
