import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { runExclusive } from '../../src/pipeline/exclusive.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { fetchApi } from '../helpers/api-contract.ts';

const TOKEN = 'test-admin-token-5f1c2a';

let enabled: Awaited<ReturnType<typeof startPreparedServer>>;
let disabled: Awaited<ReturnType<typeof startPreparedServer>>;

before(async () => {
  enabled = await startPreparedServer(3, { ADMIN_TOKEN: TOKEN });
  disabled = await startPreparedServer(1);
});
after(async () => {
  await enabled?.close();
  await disabled?.close();
});

const post = (base: string, path: string, authorization?: string) =>
  fetchApi(base + path, { method: 'POST', headers: authorization ? { Authorization: authorization } : {} });

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const summaryOf = (ctx: typeof enabled.ctx, id: string) =>
  ctx.store.db.selectFrom('summaries').select(['created_at']).where('paper_id', '=', id).executeTakeFirst();
const statusOf = async (ctx: typeof enabled.ctx, id: string) =>
  (await ctx.store.db.selectFrom('papers').select('summary_status').where('id', '=', id).executeTakeFirstOrThrow()).summary_status;

test('a short ADMIN_TOKEN is a configuration error', () => {
  assert.throws(() => loadConfig({ ADMIN_TOKEN: 'letmein' }), (error: unknown) => error instanceof ConfigError && /ADMIN_TOKEN: at least 16/.test(error.message));
  assert.equal(loadConfig({ ADMIN_TOKEN: TOKEN }).adminToken, TOKEN);
  assert.equal(loadConfig({}).adminToken, null);
});

test('without ADMIN_TOKEN the admin actions do not exist', async () => {
  const base = disabled.server.url;
  for (const path of ['/admin/ingest', `/admin/papers/${HOSTILE_PAPER.record.id}/resummarize`]) {
    for (const auth of [undefined, 'Bearer ', `Bearer ${TOKEN}`]) {
      const response = await post(base, path, auth);
      assert.equal(response.status, 404, `${path} with ${auth}`);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /disabled/);
    }
  }
});

test('a missing or malformed token is 401 with a Bearer challenge, a wrong one 403', async () => {
  const base = enabled.server.url;
  for (const path of ['/admin/ingest', `/admin/papers/${HOSTILE_PAPER.record.id}/resummarize`]) {
    for (const auth of [undefined, TOKEN, `Basic ${TOKEN}`, 'Bearer']) {
      const response = await post(base, path, auth);
      assert.equal(response.status, 401, `${path} with ${auth}`);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    for (const auth of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer x']) {
      const response = await post(base, path, auth);
      assert.equal(response.status, 403, `${path} with ${auth}`);
    }
  }
  assert.equal(await statusOf(enabled.ctx, HOSTILE_PAPER.record.id), 'success', 'refused requests changed nothing');
});

test('GET and other methods on the actions change nothing', async () => {
  const base = enabled.server.url;
  const id = HOSTILE_PAPER.record.id;
  const before = await summaryOf(enabled.ctx, id);
  for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
    for (const path of ['/admin/ingest', `/admin/papers/${id}/resummarize`]) {
      const response = await fetchApi(base + path, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get('allow'), 'POST');
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await statusOf(enabled.ctx, id), 'success');
  assert.deepEqual(await summaryOf(enabled.ctx, id), before, 'the summary was not rewritten');
});

test('while another pass runs, the actions answer 409 and change nothing', async () => {
  const base = enabled.server.url;
  const id = HOSTILE_PAPER.record.id;
  let release!: () => void;
  const pass = runExclusive(enabled.ctx, () => new Promise<void>((resolve) => (release = resolve)));
  assert.ok(pass, 'the stand-in pass started');
  assert.equal(runExclusive(enabled.ctx, async () => 'second'), null, 'a second job does not start');
  try {
    for (const path of ['/admin/ingest', `/admin/papers/${id}/resummarize`]) {
      const response = await post(base, path, `Bearer ${TOKEN}`);
      assert.equal(response.status, 409, path);
    }
    assert.equal(await statusOf(enabled.ctx, id), 'success');
  } finally {
    release();
    await pass;
  }
  assert.ok(runExclusive(enabled.ctx, async () => undefined), 'free again once the pass ended');
});

test('POST /admin/papers/:id/resummarize with the token rewrites that summary (202)', async () => {
  const base = enabled.server.url;
  const id = HOSTILE_PAPER.record.id;
  const before = await summaryOf(enabled.ctx, id);
  assert.ok(before);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const response = await post(base, `/admin/papers/${id}/resummarize`, `Bearer ${TOKEN}`);
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), { status: 'accepted', job: 'resummarize', id });
  await waitFor(async () => (await summaryOf(enabled.ctx, id))!.created_at > before.created_at && (await statusOf(enabled.ctx, id)) === 'success', 'the new summary');
  assert.equal((await post(base, '/admin/papers/2606.00000/resummarize', `Bearer ${TOKEN}`)).status, 404);
  assert.equal((await post(base, '/admin/papers/not-an-id/resummarize', `Bearer ${TOKEN}`)).status, 400);
});

test('POST /admin/ingest with the token runs a pass (202): a newly stored paper gets summarised and indexed', async () => {
  const base = enabled.server.url;
  const paper = { ...HOSTILE_PAPER, record: { ...HOSTILE_PAPER.record, id: '2606.99002', title: 'Quokkaformer: a pass triggered by an admin' } };
  await storeAnnouncedPapers(enabled.ctx.store.db, [paper], 'test');
  const search = async () => ((await (await fetchApi(`${base}/api/v1/search?q=Quokkaformer`)).json()) as { total: number }).total;
  assert.equal(await search(), 0, 'not searchable before the pass');
  assert.equal(await statusOf(enabled.ctx, paper.record.id), 'pending');
  const response = await post(base, '/admin/ingest', `Bearer ${TOKEN}`);
  assert.equal(response.status, 202);
  assert.equal(((await response.json()) as { job: string }).job, 'ingest');
  const again = await post(base, '/admin/ingest', `Bearer ${TOKEN}`);
  assert.ok(again.status === 409 || again.status === 202, `a second request while one runs: ${again.status}`);
  await waitFor(async () => (await statusOf(enabled.ctx, paper.record.id)) === 'success' && (await search()) === 1, 'the pass');
});
