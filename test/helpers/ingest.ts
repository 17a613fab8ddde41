import { createTestContext } from './context.ts';
import type { ReplayServer } from './arxiv-replay-server.ts';

/** A test context whose arXiv endpoints are the replay server, with tiny politeness delays. */
export function contextFor(server: ReplayServer, env: Record<string, string> = {}) {
  return createTestContext({
    ARXIV_RSS_URL: server.rssUrl,
    ARXIV_API_URL: server.apiUrl,
    ARXIV_OAI_URL: server.oaiUrl,
    ARXIV_MIN_INTERVAL_MS: '5',
    ARXIV_BACKOFF_MS: '10',
    ARXIV_MAX_RETRIES: '2',
    ARXIV_TIMEOUT_MS: '5000',
    ...env,
  });
}

/** Every table that holds ingested data, row by row, without the columns that record when a row was written. */
export async function dumpIngestedRows(store: Awaited<ReturnType<typeof createTestContext>>['store']): Promise<Record<string, unknown[]>> {
  const papers = await store.db.selectFrom('papers').selectAll().orderBy('id').execute();
  const versions = await store.db.selectFrom('paper_versions').selectAll().orderBy('paper_id').orderBy('version').execute();
  const authors = await store.db.selectFrom('paper_authors').innerJoin('authors', 'authors.id', 'paper_authors.author_id').select(['paper_id', 'position', 'paper_authors.name', 'affiliations', 'authors.name_key']).orderBy('paper_id').orderBy('position').execute();
  return {
    papers: papers.map(({ seq: _s, stored_at: _a, changed_at: _c, ...row }) => row),
    versions: versions.map(({ fetched_at: _f, ...row }) => row),
    categories: await store.db.selectFrom('paper_categories').selectAll().orderBy('paper_id').orderBy('position').execute(),
    authors,
    authorRows: (await store.db.selectFrom('authors').select('name_key').orderBy('name_key').execute()).map((r) => r.name_key),
    announcements: await store.db.selectFrom('announcements').selectAll().orderBy('announced_on').orderBy('paper_id').execute(),
    codeLinks: await store.db.selectFrom('code_links').selectAll().orderBy('paper_id').orderBy('url').execute(),
  };
}
