import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JOB_STAGES } from '../../src/jobs/stages.ts';
import { STAGES } from '../../src/jobs/queue.ts';
import { PASS } from '../../src/pipeline/run-pass.ts';

// Pure data: the same on both backends, so it runs in both suites.
test('the jobs of a pass, in job order, run every stage of the pass exactly once and in pass order', () => {
  const fromJobs = STAGES.flatMap((stage) => JOB_STAGES[stage]);
  assert.deepEqual(fromJobs, PASS.map((stage) => stage.name));
});
