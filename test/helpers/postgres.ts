import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL server for tests: the one PAPERSIFT_TEST_DATABASE_URL names (CI, or a cluster
 * scripts/run-tests.mjs started for the whole run), or else a throw-away cluster this process starts
 * under a temp dir (initdb + pg_ctl, loopback on a free port) and stops on exit. Never skips: without
 * PostgreSQL binaries the tests fail with the reason.
 */

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

function postgresBin(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  for (const dir of BIN_DIRS) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  throw new Error(`PostgreSQL's ${name} was not found (install Debian's postgresql package, or set PAPERSIFT_TEST_DATABASE_URL)`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  stop: () => void;
}

/** initdb + pg_ctl start on a temp dir; as root the server runs as the `postgres` user (initdb refuses root). */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) => {
    const command = asRoot ? 'runuser' : postgresBin(bin);
    execFileSync(command, asRoot ? ['-u', 'postgres', '--', postgresBin(bin), ...args] : args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // Durability is not under test: fsync off keeps the many small test transactions cheap.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

let ownCluster: Promise<PostgresCluster> | null = null;

/** The server URL tests create their databases on. */
export async function testServerUrl(): Promise<string> {
  const given = process.env.PAPERSIFT_TEST_DATABASE_URL;
  if (given) return given;
  if (!ownCluster) {
    ownCluster = startPostgresCluster();
    const cluster = await ownCluster;
    process.once('exit', () => cluster.stop());
  }
  return (await ownCluster).url;
}

let counter = 0;

/**
 * A new, empty database on the test server, or a copy of `template` (a database URL on the same server,
 * with no open connection); `drop` removes it (after every connection to it closed).
 */
export async function createTestDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = await testServerUrl();
  const name = `papersift_test_${process.pid}_${Date.now().toString(36)}_${(counter += 1)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const from = template === undefined ? '' : ` TEMPLATE "${decodeURIComponent(new URL(template).pathname.slice(1))}"`;
    await admin.query(`CREATE DATABASE "${name}"${from}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Which backend the storage suites run on in this process (scripts/run-tests.mjs --backend postgres). */
export function testBackend(): 'sqlite' | 'postgres' {
  return process.env.PAPERSIFT_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}
