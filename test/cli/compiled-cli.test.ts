import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { staleInput } from '../../scripts/dist-freshness.mjs';
import { buildProgram } from '../../src/cli/main.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/context.ts';

/** Every command and subcommand path of the program, e.g. `serve`, `authors enrich`. */
function commandPaths(): string[] {
  const paths: string[] = [];
  for (const command of buildProgram().commands) {
    if (command.commands.length === 0) paths.push(command.name());
    for (const sub of command.commands) paths.push(`${command.name()} ${sub.name()}`);
  }
  return paths.sort();
}

test('dist/ is built from the current sources (the CLI tests run it)', () => {
  assert.equal(staleInput(), null, 'run npm run build');
  const bin = fs.readFileSync(path.join(REPO_ROOT, 'bin/papersift.mjs'), 'utf8');
  assert.match(bin, /dist\/cli\/main\.js/, 'bin runs the compiled code');
  assert.doesNotMatch(bin, /tsx/, 'bin does not compile TypeScript at start');
});

test('the compiled papersift --help lists every command', async () => {
  const result = await runCli(['--help']);
  assert.equal(result.code, 0, result.stderr);
  for (const name of new Set(commandPaths().map((p) => p.split(' ')[0]!))) assert.match(result.stdout, new RegExp(`^  ${name}\\b`, 'm'), name);
});

test("README's command table lists every command, and no command that does not exist", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('\n## ', readme.indexOf('## Command line') + 1));
  const listed = new Set<string>();
  const known = commandPaths();
  for (const [, cell] of section.matchAll(/^\| `([^`]+)` \|/gm)) {
    // A row names a command path and then its options: the longest known path it starts with.
    const match = known.filter((p) => cell === p || cell!.startsWith(`${p} `)).sort((a, b) => b.length - a.length)[0];
    assert.ok(match !== undefined, `README lists \`${cell}\`, which is no command`);
    listed.add(match);
  }
  assert.deepEqual(known.filter((p) => !listed.has(p)), [], 'commands missing from README');
});
