import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openJobQueue } from '../../src/jobs/open-queue.ts';
import { startWebServer } from '../../src/web/server.ts';
import { createTestContext } from '../helpers/context.ts';

const TOKEN = 'test-admin-token-queue-7d2e';

test('with PAPERSIFT_WORKERS=queue the admin pass is enqueued for the workers, not run in the server', async (t) => {
  const ctx = await createTestContext({ ADMIN_TOKEN: TOKEN, PAPERSIFT_WORKERS: 'queue' });
  const queue = await openJobQueue(ctx.config, ctx.store);
  ctx.jobs = queue;
  const server = await startWebServer(ctx, { port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await server.close();
    await queue.close();
    await ctx.close();
  });
  const response = await fetch(`${server.url}/admin/ingest`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { status: 'accepted', job: 'ingest', enqueued: 1 });
  const ingest = (await queue.counts()).filter((c) => c.stage === 'ingest');
  assert.equal(ingest.reduce((n, c) => n + c.count, 0), 1, 'one ingest job, the head of the pass');
  assert.equal(await ctx.store.papers.count(), 0, 'nothing ran in the server: the snapshot was not loaded');
});
