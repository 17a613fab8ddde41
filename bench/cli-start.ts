/**
 * Start-up of the compiled command line: `papersift --help` against a bare `node -e 0` on the same
 * machine, run alternately so both see the same load. Target (issue 16): at most 6× bare node.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { ratioTo, type BenchResult } from './types.ts';

const RUNS = 21;

function timeMs(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchCliStart(): Promise<BenchResult[]> {
  const bin = path.join(PROJECT_ROOT, 'bin/papersift.mjs');
  const bare: number[] = [];
  const help: number[] = [];
  timeMs(['-e', '0']);
  timeMs([bin, '--help']); // warms the OS file cache
  for (let i = 0; i < RUNS; i += 1) {
    bare.push(timeMs(['-e', '0']));
    help.push(timeMs([bin, '--help']));
  }
  const helpMs = median(help);
  const bareMs = median(bare);
  return [
    {
      name: 'cli: papersift --help',
      value: Number(helpMs.toFixed(0)),
      unit: 'ms',
      note: `median of ${RUNS} starts of the compiled CLI (dist/), alternating with bare \`node -e 0\` (median ${bareMs.toFixed(0)} ms); target ≤ 6×`,
      ratio: ratioTo(helpMs, bareMs, 'node -e 0'),
    },
  ];
}
