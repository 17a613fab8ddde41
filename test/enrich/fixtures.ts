import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createEnrichmentSources } from '../../src/enrich/sources.ts';
import { REPO_ROOT, RECORDED_FIXTURES } from '../helpers/context.ts';
import type { ScholarlyData, ScholarlyServer } from '../helpers/scholarly-replay-server.ts';

export const S2_FIXTURES = path.join(RECORDED_FIXTURES, 'semanticscholar');
export const OPENALEX_FIXTURES = path.join(RECORDED_FIXTURES, 'openalex');

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The documented-format answers for papers of the bundled snapshot (test/fixtures/scholarly). */
export function snapshotEnrichment(): ScholarlyData {
  const doc = readJson(path.join(REPO_ROOT, 'test/fixtures/scholarly/snapshot-enrichment.json')) as {
    semanticScholar: { papers: Record<string, unknown>; authors: Record<string, unknown> };
    openAlex: { works: Record<string, unknown>; authors: Record<string, unknown> };
  };
  return { s2Papers: doc.semanticScholar.papers, s2Authors: doc.semanticScholar.authors, openAlexWorks: doc.openAlex.works, openAlexAuthors: doc.openAlex.authors };
}

/** Environment pointing enrichment at the replay server, with quick spacing and backoff. */
export function enrichEnv(server: ScholarlyServer): Record<string, string> {
  return {
    PAPERSIFT_ENRICH: 'auto',
    SEMANTIC_SCHOLAR_API_URL: server.s2Url,
    OPENALEX_API_URL: server.openAlexUrl,
    SEMANTIC_SCHOLAR_MIN_INTERVAL_MS: '0',
    OPENALEX_MIN_INTERVAL_MS: '0',
    ENRICH_BACKOFF_MS: '1',
    ENRICH_MAX_RETRIES: '2',
  };
}

/** Sources against the replay server whose retry waits are recorded instead of slept. */
export function testSources(server: ScholarlyServer, env: Record<string, string> = {}) {
  const waits: number[] = [];
  const config = loadConfig({ ...enrichEnv(server), ENRICH_BACKOFF_MS: '1000', ...env });
  const sources = createEnrichmentSources(config, silentLogger, {
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
  });
  return { sources, waits, config };
}
