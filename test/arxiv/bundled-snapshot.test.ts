import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readSnapshot, SnapshotFormatError } from '../../src/arxiv/snapshot.ts';
import { makeTempDir } from '../helpers/context.ts';
import { bundledPapers } from '../helpers/snapshot.ts';

test('the bundled snapshot holds at least 300 real papers over at least 3 announcement days', async () => {
  const papers = await bundledPapers();
  const days = new Set(papers.map((p) => p.announcedOn));
  assert.ok(papers.length >= 300, `${papers.length} papers`);
  assert.ok(days.size >= 3, `${days.size} days`);
  assert.equal(new Set(papers.map((p) => p.record.id)).size, papers.length, 'each paper once');
  for (const { record } of papers) {
    assert.match(record.id, /^\d{4}\.\d{5}$/);
    assert.ok(record.version >= 1 && record.title.length > 0 && record.authors.length > 0 && record.categories.length > 0);
  }
  const withComments = papers.filter((p) => p.record.comment).length;
  assert.ok(withComments > papers.length / 4, `${withComments} papers carry comments`);
});

test('a damaged snapshot is rejected with its line number and nothing is returned', async () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const good = JSON.stringify({ id: '2606.00001', version: 1, announcedOn: '2026-06-16', announceType: 'new', title: 'T', abstract: 'A', authors: [{ name: 'A B' }], categories: ['cs.LG'], published: '2026-06-16', updated: '2026-06-16' });
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, `${good}\n{"id": "2606.00002", "version": "one"}\n`);
    await assert.rejects(readSnapshot(file), (error: unknown) => error instanceof SnapshotFormatError && /bad\.jsonl:2:/.test(error.message));
    fs.writeFileSync(file, `${good}\n{"id": truncated`);
    await assert.rejects(readSnapshot(file), /bad\.jsonl:2: not a snapshot line: invalid JSON/);
  } finally {
    cleanup();
  }
});
