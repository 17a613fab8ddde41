/** `papersift summarize --jsonl IN --out OUT` as a child process, with the offline engine. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { paperSummarySchema } from '../../src/summarize/engine.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { samplePapers } from '../helpers/snapshot.ts';

const temp = makeTempDir();
after(() => temp.cleanup());

const readLines = (file: string): Array<Record<string, unknown>> =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

test('one output line per input line, in order; bad lines get an error line and the rest go on', async () => {
  const papers = (await samplePapers(1)).slice(0, 5).map(({ record }) => record);
  const good = papers.map((paper) => JSON.stringify({ id: paper.id, title: paper.title, abstract: paper.abstract, categories: paper.categories }));
  const input = path.join(temp.dir, 'in.jsonl');
  const lines = [
    good[0],
    '{"id": "broken", "title": ',
    good[1],
    JSON.stringify({ id: 'no-abstract', title: 'A title only' }),
    '',
    good[2],
    JSON.stringify({ id: 'empty', title: 'Empty', abstract: '   ' }),
    good[3],
    JSON.stringify({ id: 'no-categories', title: papers[4]!.title, abstract: papers[4]!.abstract }),
  ];
  fs.writeFileSync(input, lines.join('\n') + '\n');
  const output = path.join(temp.dir, 'out.jsonl');

  // No DATABASE_URL on purpose: the offline batch never opens the store.
  const result = await runCli(['summarize', '--jsonl', input, '--out', output], { PAPERSIFT_LLM: '', DATABASE_URL: path.join(temp.dir, 'never.db') });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { lines: 8, summarized: 5, fallback: 0, failed: 3 });
  assert.match(result.stderr, /8 lines: summarised 5, fallback 0, failed 3/);
  assert.match(result.stderr, /summarize batch: finished done=8 total=8/, 'progress is logged when not on a terminal');
  assert.equal(fs.existsSync(path.join(temp.dir, 'never.db')), false);

  const out = readLines(output);
  assert.equal(out.length, 8);
  assert.deepEqual(
    out.map((line) => line.id ?? null),
    [papers[0]!.id, null, papers[1]!.id, 'no-abstract', papers[2]!.id, 'empty', papers[3]!.id, 'no-categories'],
  );
  assert.deepEqual(out[1], { line: 2, error: 'not valid JSON' });
  assert.equal(out[3]!.line, 4);
  assert.match(String(out[3]!.error), /abstract/);
  assert.equal(out[5]!.line, 7, 'line numbers count the blank line too');
  assert.match(String(out[5]!.error), /abstract is empty/);
  for (const index of [0, 2, 4, 6, 7]) {
    const line = out[index]!;
    assert.deepEqual(Object.keys(line), ['id', 'tldr', 'tags', 'highlights', 'sections', 'engine']);
    paperSummarySchema.parse(line);
    assert.deepEqual(line.engine, { name: 'offline', model: 'extractive-v1', promptVersion: 'offline-3', outcome: 'success' });
  }
  // Same text, same summary, whether it came in a batch or not (categories only add tags).
  const again = path.join(temp.dir, 'again.jsonl');
  assert.equal((await runCli(['summarize', '--jsonl', input, '--out', again], { PAPERSIFT_LLM: '' })).code, 0);
  assert.equal(fs.readFileSync(again, 'utf8'), fs.readFileSync(output, 'utf8'), 'deterministic');
});

test('batch mode refuses missing or contradictory options and missing files', async () => {
  const noOut = await runCli(['summarize', '--jsonl', path.join(temp.dir, 'in.jsonl')]);
  assert.notEqual(noOut.code, 0);
  assert.match(noOut.stderr, /--jsonl needs --out/);
  const noIn = await runCli(['summarize', '--out', path.join(temp.dir, 'x.jsonl')]);
  assert.notEqual(noIn.code, 0);
  assert.match(noIn.stderr, /--out needs --jsonl/);
  const missing = await runCli(['summarize', '--jsonl', path.join(temp.dir, 'nope.jsonl'), '--out', path.join(temp.dir, 'y.jsonl')], { PAPERSIFT_LLM: '' });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /papersift: .*nope\.jsonl/);
  assert.equal(fs.existsSync(path.join(temp.dir, 'y.jsonl')), false, 'no output file for an unreadable input');
});
