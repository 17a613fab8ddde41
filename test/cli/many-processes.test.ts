import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { recordedApiEntries, startReplayServer } from '../helpers/arxiv-replay-server.ts';
import { CLI, OFFLINE_ENV } from '../helpers/cli.ts';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, REPO_ROOT } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';
import { testBackend } from '../helpers/postgres.ts';
import { samplePapers, writeSnapshotFile } from '../helpers/snapshot.ts';

/**
 * Several papersift processes on one store, as docs/deploy.md and compose.yaml run them (issue 21):
 * started at the same moment on a fresh database, and sharing arXiv's politeness across processes.
 */
const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

/** A small snapshot keeps the workers' first pass short; the start-up race is the same. */
const snapshot = writeSnapshotFile(temp.dir, await samplePapers(3));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...OFFLINE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(what: string, check: () => T | null | undefined | Promise<T | null | undefined>, started: Started[], timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${started.map((s) => s.output()).join('\n---\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('serve and four workers started together on a fresh database, ten times: all healthy; the digest served in the first and last round', { timeout: 1_200_000 }, async () => {
  for (let round = 1; round <= 10; round += 1) {
    const database = await freshDatabase(temp.dir, `together-${round}`);
    const env = { DATABASE_URL: database.url, PAPERSIFT_WORKERS: 'queue', PAPERSIFT_SNAPSHOT: snapshot, PORT: '0', PAPERSIFT_JOB_SCORE_WAIT_SECONDS: '1' };
    const processes = [start(['serve'], env), ...[1, 2, 3, 4].map(() => start(['worker'], env))];
    const [serve, ...workers] = processes;
    try {
      const url = await waitFor(`round ${round}: serve`, () => /serves the digest at (http:\/\/\S+)/.exec(serve!.output())?.[1], processes);
      await waitFor(`round ${round}: workers`, () => (workers.every((w) => /worker started/.test(w.output())) ? true : null), processes);
      for (const p of processes) assert.equal(p.child.exitCode, null, `a process exited during start-up:\n${p.output()}`);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      if (round === 1 || round === 10) {
        // The workers load the snapshot, summarise, score and select: the digest fills in.
        const papers = await waitFor(
          `round ${round}: a digest with papers`,
          async () => ((await (await fetch(`${url}/api/v1/digest`)).json()) as { papers?: unknown[] }).papers?.length || null,
          processes,
        );
        assert.ok(papers > 0);
      } else {
        // Before the workers' first pass has selected a digest the home page says so (404), never fails.
        assert.ok([200, 404].includes((await fetch(`${url}/`)).status));
      }
    } finally {
      for (const p of processes) p.child.kill('SIGTERM');
      const codes = await Promise.all(processes.map((p) => p.exited));
      assert.deepEqual(codes, [0, 0, 0, 0, 0], `round ${round}: every process stops cleanly`);
    }
    await database.drop();
  }
});

test('serve, two command-line ingests (and on PostgreSQL four workers) share arXiv: no two requests closer than the interval', { timeout: 600_000 }, async () => {
  const arrivals: number[] = [];
  const entries = recordedApiEntries();
  const feed = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/arxiv/announcement-atom-cs.LG.xml'), 'utf8');
  const server = await startReplayServer({ feed, apiEntries: entries, onRequest: () => void arrivals.push(performance.now()) });
  const database = await freshDatabase(temp.dir, 'polite');
  const intervalMs = 1_000;
  const env = {
    DATABASE_URL: database.url,
    PAPERSIFT_SNAPSHOT: snapshot,
    PORT: '0',
    ARXIV_API_URL: server.apiUrl,
    ARXIV_RSS_URL: server.rssUrl,
    ARXIV_MIN_INTERVAL_MS: String(intervalMs),
    PAPERSIFT_CATEGORIES: 'cs.LG,stat.ML',
  };
  // serve's first pass reads the announcement feed and asks the API for its papers (live ingest on);
  // each command-line ingest asks the API for its own papers, in id batches of 100 (so 2 requests each).
  // On PostgreSQL serve only enqueues the pass and four workers run it, as compose.yaml deploys it:
  // the live ingest is then a worker's, and the workers start (and ask) together with the rest.
  const ids = [...entries.keys()];
  const queued = testBackend() === 'postgres';
  const live = { ...env, PAPERSIFT_LIVE_INGEST: 'on', ...(queued ? { PAPERSIFT_WORKERS: 'queue' } : {}) };
  const serve = start(['serve'], live);
  const workers = queued ? [1, 2, 3, 4].map(() => start(['worker'], live)) : [];
  const ingests = [start(['ingest', '--ids', ids.slice(0, 150).join(',')], env), start(['ingest', '--ids', ids.slice(150, 300).join(',')], env)];
  const running = [serve, ...workers];
  try {
    const codes = await Promise.all(ingests.map((p) => p.exited));
    assert.deepEqual(codes, [0, 0], ingests.map((p) => p.output()).join('\n---\n'));
    await waitFor('the live ingest', () => running.find((p) => /announcements ingested/.test(p.output())), running);
  } finally {
    for (const p of running) p.child.kill('SIGTERM');
    assert.deepEqual(await Promise.all(running.map((p) => p.exited)), running.map(() => 0), 'every process stops cleanly');
    await server.close();
  }
  // 2 requests per command-line ingest and serve's feed request at least; without the shared gate
  // each process spaces only its own requests, and processes that start together ask together.
  assert.ok(arrivals.length >= 5, `${arrivals.length} requests`);
  const gaps = arrivals.slice(1).map((t, i) => Math.round(t - arrivals[i]!));
  // The gate spaces the starts exactly (test/store/rate-gates.test.ts); a request reaches this server
  // after its start by however long its process's event loop is busy (serve summarises synchronously
  // meanwhile), so a gap between arrivals may come out shorter by the difference of two such delays:
  // measured up to 300 ms at load average 17. Without the shared gate, processes asking together
  // arrive together (gaps near 0).
  assert.ok(Math.min(...gaps) >= intervalMs * 0.6, `gaps between arrivals: ${gaps.join(', ')} ms`);
});
