#!/usr/bin/env node
// Runs every *.test.ts under test/ with Node's own test runner (Node 20 does not expand globs itself).
// Usage: node scripts/run-tests.mjs [--exclude DIR] [FILTER...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const excluded = [];
const filters = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--exclude') excluded.push(args[++i]);
  else filters.push(args[i]);
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: '1' },
});
process.exit(result.status ?? 1);
