import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryCode, formatListDate } from '../../src/web/format.ts';

test('profile dates: "May 18" in the current year, "Nov 4, 2025" before it', () => {
  const today = new Date('2026-12-01T12:00:00Z');
  assert.equal(formatListDate('2026-05-18', today), 'May 18');
  assert.equal(formatListDate('2025-11-04T09:00:00Z', today), 'Nov 4, 2025');
});

test('category codes as the profile shows them', () => {
  assert.deepEqual(['cs.LG', 'cs.CL', 'quant-ph', 'stat.ML'].map(categoryCode), ['LG', 'CL', 'QUANT-PH', 'STAT.ML']);
});
