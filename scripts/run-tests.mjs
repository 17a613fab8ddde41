#!/usr/bin/env node
// Runs every *.test.ts under test/ with Node's own test runner (Node 20 does not expand globs itself).
// Usage: node scripts/run-tests.mjs [--backend sqlite|postgres] [--exclude DIR] [FILTER...]
// With --backend postgres the stores of test/helpers/context.ts are PostgreSQL databases on one
// throw-away cluster started here (or the server PAPERSIFT_TEST_DATABASE_URL names).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const excluded = [];
const filters = [];
let backend = 'sqlite';
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--exclude') excluded.push(args[++i]);
  else if (args[i] === '--backend') backend = args[++i];
  else filters.push(args[i]);
}
if (backend !== 'sqlite' && backend !== 'postgres') {
  console.error(`unknown backend ${backend}`);
  process.exit(1);
}

function findTests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return excluded.includes(entry.name) ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = findTests('test')
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// CLI tests run the compiled command line (test/helpers/cli.ts): build it first when src/ changed.
const build = spawnSync(process.execPath, [path.join(import.meta.dirname, 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const env = { ...process.env, NO_COLOR: '1', PAPERSIFT_TEST_BACKEND: backend };
let cluster = null;
if (backend === 'postgres' && !env.PAPERSIFT_TEST_DATABASE_URL) {
  const { register } = await import('tsx/esm/api');
  register();
  const { startPostgresCluster } = await import('../test/helpers/postgres.ts');
  cluster = await startPostgresCluster();
  env.PAPERSIFT_TEST_DATABASE_URL = cluster.url;
  console.log(`# PostgreSQL test cluster at ${cluster.url}`);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
cluster?.stop();
process.exit(result.status ?? 1);
