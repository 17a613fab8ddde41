import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

const lines = (...rows: unknown[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

test('papersift recommend ranks every good candidate line best first, reports bad lines by number and goes on', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'papersift-recommend-'));
  const library = path.join(dir, 'library.jsonl');
  const candidates = path.join(dir, 'candidates.jsonl');
  const out = path.join(dir, 'out.jsonl');
  writeFileSync(
    library,
    lines(
      { id: 'lib-1', title: 'Denoising diffusion probabilistic models', abstract: 'Diffusion models generate images by reversing a noising process.', year: 2020, added: '2026-05-01' },
      { id: 'lib-2', title: 'Latent diffusion for image synthesis', added: '2026-04-01T10:00:00Z' },
      { id: 'lib-3', title: 'Score-based generative models', abstract: null, year: null },
      '{"id": "lib-4", "title": ',
      { id: 'lib-5', title: 'Dated wrongly', added: 'last tuesday' },
      { id: 'lib-6', title: '   ' },
      '',
    ),
  );
  writeFileSync(
    candidates,
    lines(
      { id: 7, title: 'Offline reinforcement learning with conservative critics', abstract: 'Q-learning from logged data.' },
      { id: '2606.00001', title: 'Faster sampling for diffusion models', abstract: 'A solver for diffusion sampling of images.' },
      { id: '2606.00002', title: 'Graph neural networks for molecules' },
      { title: 'no id' },
      { id: '2606.00001', title: 'The same id again' },
      { id: '2606.00003', title: 'Video generation with latent diffusion models', abstract: 'Latent diffusion generates video.', extra: 'ignored' },
    ),
  );
  const result = await runCli(['recommend', '--library', library, '--candidates', candidates, '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { library: 3, candidates: 4, rejected: 5 });

  const ranked = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string | number; score: number; why: string });
  assert.deepEqual(ranked.map((r) => Object.keys(r)), ranked.map(() => ['id', 'score', 'why']));
  assert.deepEqual(ranked.map((r) => r.id).sort(), ['2606.00001', '2606.00002', '2606.00003', 7].sort(), 'one line per good candidate; ids as given');
  assert.deepEqual(new Set(ranked.slice(0, 2).map((r) => r.id)), new Set(['2606.00001', '2606.00003']));
  assert.match(ranked[0]!.why, /^similar to "(Denoising diffusion probabilistic models|Latent diffusion for image synthesis)"$/);
  for (let i = 1; i < ranked.length; i += 1) assert.ok(ranked[i - 1]!.score >= ranked[i]!.score, 'best first');

  const errors = result.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { file: string; line: number; id?: unknown; error: string });
  assert.deepEqual(
    errors.map((e) => [path.basename(e.file), e.line, e.id]),
    [
      ['library.jsonl', 4, undefined],
      ['library.jsonl', 5, 'lib-5'],
      ['library.jsonl', 6, 'lib-6'],
      ['candidates.jsonl', 4, undefined],
      ['candidates.jsonl', 5, '2606.00001'],
    ],
  );
  assert.match(errors[0]!.error, /not valid JSON/);
  assert.match(errors[1]!.error, /added: not a date/);
  assert.match(errors[2]!.error, /title: must not be blank/);
  assert.match(errors[3]!.error, /id:/);
  assert.match(errors[4]!.error, /already given on an earlier line/);
  assert.match(result.stderr, /library 3 papers, ranked 4 candidates, 5 lines rejected/);
});

test('papersift recommend: a missing input file or option is fatal, with a clear message', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'papersift-recommend-'));
  const candidates = path.join(dir, 'candidates.jsonl');
  writeFileSync(candidates, lines({ id: 'a', title: 'A paper' }));
  const missing = await runCli(['recommend', '--library', path.join(dir, 'nope.jsonl'), '--candidates', candidates, '--out', path.join(dir, 'out.jsonl')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /papersift: .*nope\.jsonl/);
  const noOut = await runCli(['recommend', '--library', candidates, '--candidates', candidates]);
  assert.notEqual(noOut.code, 0);
  assert.match(noOut.stderr, /--out/);
  const badOut = await runCli(['recommend', '--library', candidates, '--candidates', candidates, '--out', path.join(dir, 'no-such-dir', 'out.jsonl')]);
  assert.equal(badOut.code, 1);
  assert.match(badOut.stderr, /papersift: .*no-such-dir/);
});
