import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { AppContext } from '../pipeline/context.ts';
import { runExclusive } from '../pipeline/exclusive.ts';
import { enqueuePass } from '../jobs/stages.ts';
import { runFullPass, summarizeStep } from '../pipeline/run-pass.ts';
import { arxivIdParam, describeZodError } from './params.ts';
import { jsonError } from './responses.ts';

/** Equal-length digests, so the comparison takes the same time whatever the token's length or prefix. */
function tokensMatch(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const ACTIONS = ['/ingest', '/papers/:id{.+}/resummarize'];

/**
 * Admin actions (mounted at /admin), POST only, with `Authorization: Bearer $ADMIN_TOKEN`. Without a
 * configured token they do not exist (404). Work runs in the background, never beside another pass
 * (pipeline/exclusive.ts), and answers 202 at once; a request while one runs answers 409.
 */
export function createAdmin(ctx: AppContext): Hono {
  const admin = new Hono();
  const busy = (c: Context) => jsonError(c, 409, 'a pass or admin job is already running; try again when it has finished');

  const startJob = (c: Context, name: string, job: () => Promise<unknown>, body: Record<string, unknown>) => {
    const started = runExclusive(ctx, job);
    if (!started) return busy(c);
    ctx.logger.info('admin job started', { job: name });
    started.then(
      (report) => ctx.logger.info('admin job finished', { job: name, report: JSON.stringify(report) }),
      (error: unknown) => ctx.logger.error('admin job failed', { job: name, error: error instanceof Error ? error.message : String(error) }),
    );
    return c.json({ status: 'accepted', job: name, ...body }, 202);
  };

  admin.use('*', async (c, next) => {
    const expected = ctx.config.adminToken;
    if (expected === null) return jsonError(c, 404, 'admin actions are disabled (ADMIN_TOKEN is not set)');
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer realm="papersift admin"');
      return jsonError(c, 401, 'admin actions need Authorization: Bearer <ADMIN_TOKEN>');
    }
    if (!tokensMatch(match[1]!, expected)) return jsonError(c, 403, 'wrong admin token');
    await next();
  });

  admin.post('/ingest', async (c) => {
    // With PAPERSIFT_WORKERS=queue the workers run the pass, as the scheduler's passes: enqueue it.
    if (ctx.config.jobs.workers === 'queue' && ctx.jobs) {
      const enqueued = await enqueuePass(ctx.jobs);
      ctx.logger.info('admin pass enqueued for the workers', { enqueued });
      return c.json({ status: 'accepted', job: 'ingest', enqueued }, 202);
    }
    return startJob(c, 'ingest', () => runFullPass(ctx), {});
  });

  admin.post('/papers/:id{.+}/resummarize', async (c) => {
    const id = arxivIdParam.safeParse(c.req.param('id'));
    if (!id.success) return jsonError(c, 400, describeZodError(id.error));
    if (!(await ctx.store.papers.exists(id.data))) return jsonError(c, 404, `no paper ${id.data} in this papersift`);
    // Pending makes the paper due for the engine again; its stored summary is replaced, not duplicated.
    return startJob(
      c,
      'resummarize',
      async () => {
        await ctx.store.summaries.markPending(id.data);
        return { summarize: await summarizeStep(ctx), indexed: await ctx.store.searchIndex.refresh() };
      },
      { id: id.data },
    );
  });

  // The actions change state, so any other method is refused and does nothing.
  admin.on(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'], ACTIONS, (c) => {
    c.header('Allow', 'POST');
    return c.json({ error: { status: 405, message: `${c.req.method} is not allowed here; use POST` } }, 405);
  });

  admin.notFound((c) => jsonError(c, 404, `no admin action ${c.req.method} ${c.req.path}`));
  return admin;
}
