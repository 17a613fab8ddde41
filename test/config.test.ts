import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, describeEnvironment, loadConfig, OPTIONS } from '../src/config/config.ts';
import { updateFrequencyHours } from '../src/pipeline/scheduler.ts';
import { REPO_ROOT } from './helpers/context.ts';

test('defaults work offline: port 3000 on loopback, SQLite under ./data, five ML categories, every 8 hours', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.deepEqual(config.database, { dialect: 'sqlite', file: path.resolve('data/papersift.db') });
  assert.deepEqual(config.categories, ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']);
  assert.equal(updateFrequencyHours(config.schedule), 8);
  assert.equal(config.historyDays, 7);
  assert.equal(config.digestSize, 50);
  assert.equal(config.adminToken, null);
  assert.ok(config.snapshotPath && fs.existsSync(config.snapshotPath), 'the bundled snapshot exists');
});

test('file: URLs, cron schedules and category lists are parsed', () => {
  const config = loadConfig({ DATABASE_URL: 'file:///tmp/x/papers.db', PAPERSIFT_SCHEDULE: '0 */6 * * *', PAPERSIFT_CATEGORIES: ' cs.LG , stat.ML ' });
  assert.deepEqual(config.database, { dialect: 'sqlite', file: '/tmp/x/papers.db' });
  assert.equal(updateFrequencyHours(config.schedule), 6);
  assert.deepEqual(config.categories, ['cs.LG', 'stat.ML']);
});

test('a postgres:// DATABASE_URL selects the PostgreSQL store', () => {
  const url = 'postgres://papersift:secret@db.internal:5432/papersift';
  assert.deepEqual(loadConfig({ DATABASE_URL: url }).database, { dialect: 'postgres', url });
  assert.deepEqual(loadConfig({ DATABASE_URL: 'postgresql://localhost/x' }).database, { dialect: 'postgres', url: 'postgresql://localhost/x' });
});

test('searches at once: auto is 2 on SQLite and off on PostgreSQL; a number is taken as it is; anything else is refused', () => {
  assert.equal(loadConfig({}).searchLimit.maxActive, 2);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).searchLimit.maxActive, 0);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://localhost/x', PAPERSIFT_SEARCH_CONCURRENCY: '4' }).searchLimit.maxActive, 4);
  assert.equal(loadConfig({ PAPERSIFT_SEARCH_CONCURRENCY: '3' }).searchLimit.maxActive, 3);
  assert.throws(() => loadConfig({ PAPERSIFT_SEARCH_CONCURRENCY: 'many' }), /PAPERSIFT_SEARCH_CONCURRENCY/);
});

test('invalid values fail with a message naming each bad variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', PAPERSIFT_DIGEST_SIZE: '0', PAPERSIFT_CATEGORIES: 'cs.LG,<script>', ARXIV_API_URL: 'not a url' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ['PORT', 'PAPERSIFT_DIGEST_SIZE', 'PAPERSIFT_CATEGORIES', 'ARXIV_API_URL']) assert.match(error.message, new RegExp(name));
      return true;
    },
  );
  assert.throws(() => loadConfig({ PAPERSIFT_SCHEDULE: 'sometimes' }), /PAPERSIFT_SCHEDULE/);
  assert.throws(() => loadConfig({ PAPERSIFT_SCHEDULE: '99 * * * *' }), /PAPERSIFT_SCHEDULE/);
});

test('secrets are redacted when the configuration is printed', () => {
  const shown = describeEnvironment({ ADMIN_TOKEN: 'hunter2', PORT: '8080' });
  assert.equal(shown.find((o) => o.name === 'ADMIN_TOKEN')!.value, '[redacted]');
  assert.equal(shown.find((o) => o.name === 'PORT')!.value, '8080');
  assert.ok(!JSON.stringify(shown).includes('hunter2'));
});

test('.env.example lists every option with its documented default', () => {
  const example = fs.readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
  for (const [name, option] of Object.entries(OPTIONS)) {
    const line = example.split('\n').find((l) => l.startsWith(`${name}=`) || l.startsWith(`# ${name}=`));
    assert.ok(line, `${name} is in .env.example`);
    if (!option.secret && name !== 'PAPERSIFT_SNAPSHOT') assert.ok(line.endsWith(`=${option.default}`), `${name} shows default ${option.default}`);
  }
});

test('readers: owner mode on loopback by default; an exposed HOST must choose a mode explicitly', () => {
  assert.equal(loadConfig({}).auth, 'owner');
  assert.equal(loadConfig({ HOST: '::1' }).auth, 'owner');
  assert.equal(loadConfig({ HOST: 'localhost', PAPERSIFT_AUTH: 'email' }).auth, 'email');
  assert.throws(() => loadConfig({ HOST: '0.0.0.0' }), (error: Error) => error instanceof ConfigError && /PAPERSIFT_AUTH: HOST=0\.0\.0\.0 is reachable/.test(error.message));
  assert.throws(() => loadConfig({ HOST: '192.168.1.5' }), ConfigError);
  assert.equal(loadConfig({ HOST: '0.0.0.0', PAPERSIFT_AUTH: 'owner' }).auth, 'owner');
  assert.equal(loadConfig({ HOST: '0.0.0.0', PAPERSIFT_AUTH: 'email' }).auth, 'email');
  assert.throws(() => loadConfig({ PAPERSIFT_AUTH: 'everyone' }), /PAPERSIFT_AUTH/);
});
