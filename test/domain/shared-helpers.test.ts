import assert from 'node:assert/strict';
import { test } from 'node:test';
import { announcementDay } from '../../src/domain/announcement-day.ts';
import { groupBy, uniqueInOrder } from '../../src/domain/collections.ts';
import { collapseWhitespace } from '../../src/domain/whitespace.ts';

test('whitespace collapses exactly as one space per run, whatever the whitespace characters', () => {
  const samples = ['  a  b\tc\nd\r\ne\u00a0f\u2003\u2003g  ', 'single spaces only', '\n\n', '', 'tab\tonly', 'x \u00a0 y', ' lead', 'trail ', 'a\ufeffb\u3000c'];
  for (let code = 0; code < 0x10000; code++) {
    const char = String.fromCharCode(code);
    if (/\s/.test(char)) samples.push(`a${char}b`, `${char}a`, `a${char}`, `a ${char} b`);
  }
  for (const sample of samples) assert.equal(collapseWhitespace(sample), sample.replace(/\s+/g, ' ').trim(), JSON.stringify(sample));
});

test('groupBy keeps the rows in order within a group and the groups in order of their first row', () => {
  const rows = [
    { paper: 'b', category: 'cs.LG' },
    { paper: 'a', category: 'stat.ML' },
    { paper: 'b', category: 'cs.AI' },
  ];
  assert.deepEqual([...groupBy(rows, (row) => row.paper)], [
    ['b', [rows[0], rows[2]]],
    ['a', [rows[1]]],
  ]);
  assert.deepEqual([...groupBy(rows, (row) => row.paper, (row) => row.category)], [
    ['b', ['cs.LG', 'cs.AI']],
    ['a', ['stat.ML']],
  ]);
  assert.equal(groupBy([], (row: string) => row).size, 0);
});

test('uniqueInOrder keeps each value at its first position', () => {
  assert.deepEqual(uniqueInOrder(['cs.LG', 'stat.ML', 'cs.LG', 'cs.AI', 'stat.ML']), ['cs.LG', 'stat.ML', 'cs.AI']);
});

test("a paper's announcement day is its first listing, else the date of its first version", () => {
  assert.equal(announcementDay('2026-06-03', '2026-06-01T17:59:59Z'), '2026-06-03');
  assert.equal(announcementDay(null, '2026-06-01T17:59:59Z'), '2026-06-01');
});
