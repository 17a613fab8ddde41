#!/usr/bin/env node
// Runs the compiled command line (dist/, built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('papersift: dist/ is missing: run `npm run build` (npm install runs it) first\n');
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv);
