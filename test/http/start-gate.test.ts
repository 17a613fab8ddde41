import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createStartGate } from '../../src/http/start-gate.ts';
import { gapsBetween } from './scripted-server.ts';

test('starts are at least minIntervalMs apart on the monotonic clock, even for concurrent waiters', async () => {
  const gate = createStartGate(40);
  const starts = await Promise.all([0, 1, 2, 3, 4].map(() => gate.waitForTurn()));
  const sorted = [...starts].sort((a, b) => a - b);
  for (const gap of gapsBetween(sorted)) assert.ok(gap >= 40, `started ${gap.toFixed(2)} ms apart`);
});

test('a hold keeps every start back until it ends, and a shorter hold does not shorten it', async () => {
  const gate = createStartGate(0);
  const heldAt = performance.now();
  gate.holdFor(120);
  gate.holdFor(10);
  const startedAt = await gate.waitForTurn();
  assert.ok(startedAt - heldAt >= 120, `started ${(startedAt - heldAt).toFixed(2)} ms after the hold`);
});

test('the first start is immediate', async () => {
  const gate = createStartGate(10_000);
  const before = performance.now();
  const startedAt = await gate.waitForTurn();
  assert.ok(startedAt - before < 50);
});
