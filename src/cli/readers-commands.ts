import type { Command } from 'commander';
import { withContext } from './with-context.ts';

/** Checked when the command runs: zod is not loaded for `papersift --help`. */
async function email(value: string): Promise<string> {
  const { z } = await import('zod');
  const parsed = z.email().safeParse(value.trim());
  if (!parsed.success) throw new Error(`not an email address: ${JSON.stringify(value)}`);
  return parsed.data.toLowerCase();
}


const print = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');

/** `papersift readers …`: readers and their API tokens (shown once, stored hashed). */
export function addReaderCommands(program: Command): void {
  const readers = program.command('readers').description("readers of this papersift and their API tokens (PAPERSIFT_AUTH=email: each reader's own digest)");

  readers
    .command('add')
    .description('creates a reader (or finds the one with this email) and prints {id, email, token}: a new API token, shown only now')
    .argument('<email>', "the reader's email address")
    .action(async (given: string) => {
      const address = await email(given);
      const { newSecret, hashSecret } = await import('../domain/secrets.ts');
      await withContext(async (ctx) => {
        const { reader } = await ctx.store.readers.ensure(address);
        const token = newSecret('api');
        await ctx.store.readers.storeToken(reader.id, 'api', hashSecret(token));
        print({ id: reader.id, email: reader.email, token });
      });
    });

  readers
    .command('revoke')
    .description("revokes every API token (and session) of a reader, by id or email; the reader and their library stay")
    .argument('<reader>', 'id or email')
    .action(async (who: string) => {
      await withContext(async (ctx) => {
        const reader = await ctx.store.readers.find(who);
        if (!reader) throw new Error(`no reader ${JSON.stringify(who)} (see papersift readers list)`);
        const revoked = await ctx.store.readers.revokeTokens(reader.id, ['api', 'session']);
        print({ id: reader.id, email: reader.email, revoked });
      });
    });

  readers
    .command('list')
    .description('one JSON line per reader: id, email, created')
    .action(async () => {
      await withContext(async (ctx) => {
        for (const reader of await ctx.store.readers.list()) print(reader);
      });
    });
}
