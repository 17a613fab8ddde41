import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { staleInput } from '../../scripts/dist-freshness.mjs';
import { REPO_ROOT } from './context.ts';

/** The command line as users run it: compiled (dist/). scripts/run-tests.mjs builds it when src/ changed. */
export const CLI = path.join(REPO_ROOT, 'bin/papersift.mjs');

// A test of a stale build would test old code: fail every CLI test instead.
const stale = staleInput();
if (stale !== null) throw new Error(`dist/ is older than ${path.relative(REPO_ROOT, stale)}: run \`npm run build\` (node scripts/run-tests.mjs does it)`);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Child processes never reach arXiv, Semantic Scholar or OpenAlex: live steps are off and every endpoint is a closed local port. */
export const OFFLINE_ENV = {
  PAPERSIFT_LIVE_INGEST: 'off',
  ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
  ARXIV_OAI_URL: 'http://127.0.0.1:9/oai',
  ARXIV_RSS_URL: 'http://127.0.0.1:9/atom',
  PAPERSIFT_ENRICH: 'off',
  SEMANTIC_SCHOLAR_API_URL: 'http://127.0.0.1:9/graph/v1',
  OPENALEX_API_URL: 'http://127.0.0.1:9',
};

/** Runs the real CLI as a child process and collects its output. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...OFFLINE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServingProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/**
 * Starts `papersift serve` and resolves with its URL once it says it is serving. A first start loads
 * and summarises the 2,027-paper snapshot before serving: 25 s on SQLite, 50 s on PostgreSQL at load
 * average 10 on 2 cores (each summary is its own round trip to the server); the bound leaves room for that.
 */
export function startServeProcess(env: Record<string, string>, timeoutMs = 180_000): Promise<ServingProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve'], { env: { ...process.env, ...OFFLINE_ENV, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /serves the digest at (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before serving:\n${stderr}`));
    });
  });
}
