import os from 'node:os';
import { sql } from 'kysely';
import { openStore } from '../src/store/store.ts';
import { TABLES } from '../src/store/schema-description.ts';
import { startPostgresCluster } from '../test/helpers/postgres.ts';
import type { BenchResult } from './types.ts';
import { BROWSER_ACCEPT_ENCODING, load, loadGenerator, startServer, type Load } from './web-load.ts';
import { prepareWebBenchStore } from './web-store.ts';

const CONNECTIONS = 50;
const COPY_BATCH = 500;

/**
 * The web load benchmark's store copied into a throw-away PostgreSQL cluster, table by table, then
 * indexed for search by the store itself.
 */
async function copyToPostgres(file: string, url: string): Promise<void> {
  const [from, to] = [await openStore({ dialect: 'sqlite', file }), await openStore({ dialect: 'postgres', url })];
  try {
    // One transaction with foreign-key triggers off (the cluster's superuser may): tables in any order.
    await to.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(tx);
      for (const table of Object.keys(TABLES) as Array<keyof typeof TABLES>) {
        const key = TABLES[table].primaryKey as readonly string[];
        for (let offset = 0; ; offset += 20_000) {
          // Pages of rows by primary key, so the source never holds the whole table in memory.
          const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.join(key.map((k) => sql.ref(k)))} LIMIT 20000 OFFSET ${offset}`.execute(from.db)).rows;
          for (let i = 0; i < rows.length; i += COPY_BATCH) {
            const batch = rows.slice(i, i + COPY_BATCH).map((row) => (table === 'papers' ? { ...row, search_indexed: 0 } : row));
            await sql`INSERT INTO ${sql.table(table)} ${sql.raw(`(${Object.keys(batch[0]!).map((c) => `"${c}"`).join(', ')})`)} VALUES ${sql.join(batch.map((row) => sql`(${sql.join(Object.values(row))})`))}`.execute(tx);
          }
          if (rows.length < 20_000) break;
        }
      }
    });
    // Serial keys were copied as they were: their sequences continue after them.
    for (const [table, column] of [['papers', 'seq'], ['authors', 'id'], ['summaries', 'id'], ['ingest_runs', 'id'], ['llm_calls', 'id']] as const) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table)}), 0) + 1, false)`.execute(to.db);
    }
    await to.searchIndex.refresh();
    await sql`ANALYZE`.execute(to.db);
  } finally {
    await from.close();
    await to.close();
  }
}

/**
 * `npm run bench -- --only web-postgres`: the web load benchmark's pages (the same 100,000-paper
 * store, copied) served from PostgreSQL, with the page cache on (keyed on the generation counter of
 * migration 0010, read once per request) and off (what every request cost on PostgreSQL before).
 */
export async function benchWebLoadPostgres(seconds = 10, warmupSeconds = 3, corpus = 100_000): Promise<BenchResult[]> {
  const store = await prepareWebBenchStore(corpus);
  const cluster = await startPostgresCluster();
  const figures = new Map<string, Load>();
  try {
    const url = Object.assign(new URL(cluster.url), { pathname: '/postgres' }).toString();
    const copyStarted = Date.now();
    await copyToPostgres(store.file, url);
    process.stderr.write(`bench: web store copied to PostgreSQL in ${Math.round((Date.now() - copyStarted) / 1000)} s\n`);
    const paperPaths = store.paperIds.map((id) => `/papers/${id}`);
    const searchPaths = store.queries.map((q) => `/search?q=${encodeURIComponent(q)}`);
    for (const [mode, suffix] of [['app', ''], ['app-uncached', ' uncached']] as const) {
      const server = await startServer(mode, url);
      try {
        for (const [name, paths] of [['digest', ['/']], ['paper', paperPaths], ['search', searchPaths]] as const) {
          await load(server.url, paths, warmupSeconds, { acceptEncoding: BROWSER_ACCEPT_ENCODING });
          figures.set(name + suffix, await load(server.url, paths, seconds, { acceptEncoding: BROWSER_ACCEPT_ENCODING, serverPid: server.pid }));
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    cluster.stop();
  }
  const latency = (f: Load) => `p50 ${f.p50} ms, p99 ${f.p99} ms, server CPU ${f.cpuUsPerRequest} µs/request (the database server's own CPU not counted)`;
  const setup = `${loadGenerator()}, ${CONNECTIONS} connections, ${seconds} s, the web load's ${corpus.toLocaleString('en-US')}-paper store copied to PostgreSQL 15; load average ${os.loadavg()[0]!.toFixed(1)}`;
  const result = (name: string, key: string, note: string): BenchResult => ({ name: `web on PostgreSQL: ${name}`, value: figures.get(key)!.rps, unit: 'requests/s', note: `${latency(figures.get(key)!)}; ${note}` });
  return [
    result('digest /, page cache on', 'digest', `${(figures.get('digest')!.rps / figures.get('digest uncached')!.rps).toFixed(1)} × cache off; ${setup}`),
    result('digest /, page cache off', 'digest uncached', 'every request queried, rendered and compressed: every page on PostgreSQL before the generation counter'),
    result('paper page, page cache on', 'paper', `${store.paperIds.length} papers in turn (more pages than it holds)`),
    result('paper page, page cache off', 'paper uncached', 'every request queried, rendered and compressed'),
    result('search, page cache on', 'search', `${store.queries.length} queries in turn (they fit in it: mostly hits)`),
    result('search, page cache off', 'search uncached', 'every request ranked, rendered and compressed'),
  ];
}

// Alone: `node --import tsx bench/web-load-postgres.ts [SECONDS [PAPERS]]` (a smaller store builds in a fraction of the time).
if (import.meta.url === `file://${process.argv[1]}`) {
  const [seconds, papers] = process.argv.slice(2).map(Number);
  for (const r of await benchWebLoadPostgres(seconds || 10, 3, papers || 100_000)) console.log(`${r.name}: ${r.value} ${r.unit} (${r.note})`);
}
