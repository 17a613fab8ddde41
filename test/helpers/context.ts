import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createArxivSources } from '../../src/arxiv/sources.ts';
import { silentLogger } from '../../src/log.ts';
import type { AppContext } from '../../src/pipeline/context.ts';
import { noProgress } from '../../src/progress.ts';
import { openStore } from '../../src/store/store.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import { createTestDatabase, testBackend } from './postgres.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** Real recordings published by other projects, copied into the repository (provenance: its SOURCES.md). */
export const RECORDED_FIXTURES = path.join(REPO_ROOT, 'test/fixtures/recorded');
/** Test artifacts (screenshots, soak figures): test-results/ (gitignored), or $PAPERSIFT_TEST_ARTIFACTS (CI keeps that folder). */
export const ARTIFACTS_DIR = process.env.PAPERSIFT_TEST_ARTIFACTS ? path.resolve(process.env.PAPERSIFT_TEST_ARTIFACTS) : path.join(REPO_ROOT, 'test-results');

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function makeTempDir(prefix = 'papersift-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A real store with the configuration a test asks for: a SQLite file in a temp dir, or, when the
 * suite runs on PostgreSQL (PAPERSIFT_TEST_BACKEND=postgres), a fresh database on the test server.
 */
export async function createTestContext(env: Record<string, string> = {}): Promise<AppContext & { dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = makeTempDir();
  const database = testBackend() === 'postgres' && env.DATABASE_URL === undefined ? await createTestDatabase() : null;
  // No test reaches a real service: enrichment is off and its endpoints are a closed port unless a test says otherwise.
  const config: Config = loadConfig({
    DATABASE_URL: database?.url ?? path.join(dir, 'papersift.db'),
    PAPERSIFT_LIVE_INGEST: 'off',
    PAPERSIFT_ENRICH: 'off',
    SEMANTIC_SCHOLAR_API_URL: 'http://127.0.0.1:9/graph/v1',
    OPENALEX_API_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const store = await openStore(config.database);
  return {
    config,
    store,
    logger: silentLogger,
    engine: createOfflineEngine(),
    progress: noProgress,
    arxiv: createArxivSources(config, silentLogger),
    dir,
    close: async () => {
      await store.close();
      await database?.drop();
      cleanup();
    },
  };
}
