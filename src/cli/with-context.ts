import type { AppContext } from '../pipeline/context.ts';

/**
 * Opens a context, runs `work`, and always closes the store, even when `work` fails. The context's
 * modules are imported when a command runs, not at start (see main.ts).
 */
export async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const [{ createAppContext }, { loadConfig }] = await Promise.all([import('./context.ts'), import('../config/config.ts')]);
  const ctx = await createAppContext(loadConfig());
  try {
    return await work(ctx);
  } finally {
    await ctx.store.close();
  }
}
