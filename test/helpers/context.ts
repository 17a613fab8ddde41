import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createArxivSources } from '../../src/ingest/arxiv-sources.ts';
import { silentLogger } from '../../src/log.ts';
import type { AppContext } from '../../src/pipeline/context.ts';
import { noProgress } from '../../src/progress.ts';
import { openStore } from '../../src/store/db.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED_FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures');

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function makeTempDir(prefix = 'papersift-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A real SQLite file in a temp dir, with the configuration a test asks for. */
export async function createTestContext(env: Record<string, string> = {}): Promise<AppContext & { dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = makeTempDir();
  // No test reaches a real service: enrichment is off and its endpoints are a closed port unless a test says otherwise.
  const config: Config = loadConfig({
    DATABASE_URL: path.join(dir, 'papersift.db'),
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
      await store.destroy();
      cleanup();
    },
  };
}
