/**
 * The dependency audit gate (scripts/audit-dependencies.mjs) against a local registry that speaks npm's
 * bulk-advisory protocol (POST /-/npm/v1/security/advisories/bulk): the real `npm audit` asks it about
 * this project's real lockfile. The public registry's audit endpoint cannot be reached from these
 * machines (it answers 405 here), so these tests show the gate tells clean, vulnerable and unaudited
 * apart; they do not show the dependencies are clean.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/context.ts';
import { listenOnLoopback } from '../helpers/loopback.ts';

type BulkAnswer = { status: number; advisories?: Record<string, unknown[]> };

/** A registry whose bulk-advisory endpoint gives `answer`; every other request (packuments) is a 404. */
async function fakeRegistry(answer: BulkAnswer) {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.endsWith('/-/npm/v1/security/advisories/bulk')) {
        asked.push('bulk');
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.status === 200 ? JSON.stringify(answer.advisories ?? {}) : '');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return { ...(await listenOnLoopback(server)), asked };
}

function runGate(registry: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/audit-dependencies.mjs')], {
      cwd: REPO_ROOT,
      env: { ...process.env, npm_config_registry: `${registry}/`, npm_config_cache: path.join(REPO_ROOT, 'node_modules/.cache/audit-test'), npm_config_fetch_retries: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const HIGH_HONO = {
  hono: [{ id: 1, url: 'http://127.0.0.1/advisory/1', title: 'a recorded-shape advisory', severity: 'high', vulnerable_versions: '<99.0.0', cwe: [], cvss: { score: 7.5, vectorString: null } }],
};
const MODERATE_ZOD = {
  zod: [{ id: 2, url: 'http://127.0.0.1/advisory/2', title: 'a moderate one', severity: 'moderate', vulnerable_versions: '<99.0.0', cwe: [], cvss: { score: 5, vectorString: null } }],
};

test('no advisories: audited and clean, exit 0', async () => {
  const registry = await fakeRegistry({ status: 200 });
  try {
    const { code, output } = await runGate(registry.base);
    assert.equal(code, 0, output);
    assert.match(output, /shipped dependencies .*: info 0, low 0, moderate 0, high 0, critical 0/);
    assert.deepEqual(registry.asked, ['bulk', 'bulk'], 'both audits asked the registry');
  } finally {
    await registry.close();
  }
});

test('a high advisory on a shipped dependency fails the gate, naming the package', async () => {
  const registry = await fakeRegistry({ status: 200, advisories: HIGH_HONO });
  try {
    const { code, output } = await runGate(registry.base);
    assert.equal(code, 1, output);
    assert.match(output, /high: hono/);
  } finally {
    await registry.close();
  }
});

test('a moderate advisory is reported but does not fail the gate', async () => {
  const registry = await fakeRegistry({ status: 200, advisories: MODERATE_ZOD });
  try {
    const { code, output } = await runGate(registry.base);
    assert.equal(code, 0, output);
    assert.match(output, /moderate [1-9]/);
  } finally {
    await registry.close();
  }
});

test('an audit endpoint that refuses (405, as here) is "not audited", exit 2, never clean', async () => {
  const registry = await fakeRegistry({ status: 405 });
  try {
    const { code, output } = await runGate(registry.base);
    assert.equal(code, 2, output);
    assert.match(output, /NOT AUDITED/);
    assert.doesNotMatch(output, /high 0/);
  } finally {
    await registry.close();
  }
});
