import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { hashSecret } from '../../src/domain/secrets.ts';
import { openStore } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/context.ts';
import { dropTestDatabases, freshDatabase } from '../helpers/database.ts';

const temp = makeTempDir();
after(async () => {
  await dropTestDatabases();
  temp.cleanup();
});

test('papersift readers add prints a token once (stored hashed), list shows readers, revoke ends their tokens', async () => {
  const env = { DATABASE_URL: (await freshDatabase(temp.dir, 'readers')).url, PAPERSIFT_SNAPSHOT: 'off', PAPERSIFT_LIVE_INGEST: 'off' };
  const added = await runCli(['readers', 'add', 'Ada@Example.org'], env);
  assert.equal(added.code, 0, added.stderr);
  const ada = JSON.parse(added.stdout) as { id: string; email: string; token: string };
  assert.equal(ada.email, 'ada@example.org');
  assert.match(ada.token, /^pst_[A-Za-z0-9_-]{43}$/);

  const again = JSON.parse((await runCli(['readers', 'add', 'ada@example.org'], env)).stdout) as typeof ada;
  assert.equal(again.id, ada.id, 'the same email is the same reader');
  assert.notEqual(again.token, ada.token, 'with a second token');
  await runCli(['readers', 'add', 'grace@example.org'], env);

  const store = await openStore(loadConfig(env).database);
  try {
    assert.equal((await store.readers.readerByToken(hashSecret(ada.token), 'api'))?.id, ada.id);
    const rows = await store.db.selectFrom('reader_tokens').selectAll().execute();
    assert.equal(rows.length, 3);
    assert.ok(rows.every((row) => !JSON.stringify(row).includes(ada.token.slice(4))), 'no token is stored as it is');

    const list = await runCli(['readers', 'list'], env);
    assert.deepEqual(list.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { email: string }).email), ['ada@example.org', 'grace@example.org']);

    const revoked = await runCli(['readers', 'revoke', 'ada@example.org'], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.deepEqual(JSON.parse(revoked.stdout), { id: ada.id, email: 'ada@example.org', revoked: 2 });
    assert.equal(await store.readers.readerByToken(hashSecret(ada.token), 'api'), null);
    assert.equal(await store.readers.readerByToken(hashSecret(again.token), 'api'), null);
  } finally {
    await store.close();
  }

  const badEmail = await runCli(['readers', 'add', 'not-an-email'], env);
  assert.notEqual(badEmail.code, 0);
  assert.match(badEmail.stderr, /papersift: not an email address/);
  const unknown = await runCli(['readers', 'revoke', 'nobody@example.org'], env);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /no reader "nobody@example.org"/);
});
