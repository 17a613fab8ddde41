#!/usr/bin/env node
// Compiles src/ to dist/ (tsconfig.build.json) and copies the files the code reads beside itself at
// run time (style.css, the checkpoint worker), then stamps the build. Runs on `npm install`/`npm ci`
// (the prepare script), so a fresh clone can `npm start`; `--if-stale` builds only when src/ changed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { distIsFresh, PROJECT_ROOT, SOURCE_DIR, DIST_DIR, BUILD_STAMP, sourceFiles } from './dist-freshness.mjs';

if (process.argv.includes('--if-stale') && distIsFresh()) process.exit(0);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed; dist/ was not updated');
  process.exit(compiled.status ?? 1);
}
for (const file of sourceFiles()) {
  if (/\.tsx?$/.test(file)) continue;
  const target = path.join(DIST_DIR, path.relative(SOURCE_DIR, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}
fs.writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
