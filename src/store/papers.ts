import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';
import { detectCodeLinks } from '../arxiv/code-links.ts';
import { toDisplayText } from '../arxiv/text.ts';
import type { Store } from './db.ts';

export interface StoreCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** How an author name is compared when no external id is known yet (issue #5 adds ids). */
export function authorNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

type Tx = Store;

async function findOrCreateAuthor(tx: Tx, name: string, now: string, cache: Map<string, number>): Promise<number> {
  const key = authorNameKey(name) || name;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const existing = await tx.selectFrom('authors').select('id').where('name_key', '=', key).orderBy('id').executeTakeFirst();
  const id =
    existing?.id ??
    (await tx.insertInto('authors').values({ name, name_key: key, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
  cache.set(key, id);
  return id;
}

/** Replaces a paper's categories, authors and code links with those of its newest record. */
async function writePaperDetails(tx: Tx, record: PaperRecord, now: string, authorCache: Map<string, number>): Promise<void> {
  await tx.deleteFrom('paper_categories').where('paper_id', '=', record.id).execute();
  await tx
    .insertInto('paper_categories')
    .values([...new Set(record.categories)].map((category, position) => ({ paper_id: record.id, category, position })))
    .execute();
  await tx.deleteFrom('paper_authors').where('paper_id', '=', record.id).execute();
  for (const [position, author] of record.authors.entries()) {
    const authorId = await findOrCreateAuthor(tx, author.name, now, authorCache);
    await tx
      .insertInto('paper_authors')
      .values({ paper_id: record.id, position, author_id: authorId, name: author.name, affiliations: JSON.stringify(author.affiliations) })
      .execute();
  }
  await tx.deleteFrom('code_links').where('paper_id', '=', record.id).execute();
  const links = detectCodeLinks(record.comment, record.abstract);
  if (links.length > 0) {
    await tx
      .insertInto('code_links')
      .values(links.map((link) => ({ paper_id: record.id, url: link.url, found_in: link.foundIn })))
      .execute();
  }
}

function paperColumns(record: PaperRecord) {
  return {
    latest_version: record.version,
    title: toDisplayText(record.title),
    title_raw: record.title,
    abstract: toDisplayText(record.abstract),
    abstract_raw: record.abstract,
    comment: record.comment,
    journal_ref: record.journalRef,
    doi: record.doi,
    license: record.license,
    primary_category: record.categories[0]!,
    updated_at: record.updated,
  };
}

/** True when something a reader sees changed without a new version (e.g. a journal ref or cross-list was added). */
function metadataChanged(
  stored: { comment: string | null; journal_ref: string | null; doi: string | null; license: string | null; title_raw: string; abstract_raw: string },
  storedCategories: string[],
  record: PaperRecord,
): boolean {
  return (
    stored.comment !== record.comment ||
    stored.journal_ref !== record.journalRef ||
    stored.doi !== record.doi ||
    stored.license !== record.license ||
    stored.title_raw !== record.title ||
    stored.abstract_raw !== record.abstract ||
    storedCategories.join(' ') !== [...new Set(record.categories)].join(' ')
  );
}

/**
 * Stores announced papers idempotently, all in one transaction: a paper is keyed by arXiv id, every
 * version is kept, a newer version replaces the shown metadata and marks the summary stale, and an
 * older or repeated version changes nothing it should not.
 */
export async function storeAnnouncedPapers(store: Store, papers: AnnouncedPaper[], source: string): Promise<StoreCounts> {
  const counts: StoreCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const now = new Date().toISOString();
  const authorCache = new Map<string, number>();
  await store.transaction().execute(async (tx) => {
    for (const { record, announcedOn, announceType } of papers) {
      const stored = await tx
        .selectFrom('papers')
        .select(['latest_version', 'comment', 'journal_ref', 'doi', 'license', 'title_raw', 'abstract_raw', 'first_announced_on'])
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (!stored) {
        await tx
          .insertInto('papers')
          .values({ id: record.id, ...paperColumns(record), published_at: record.published, first_announced_on: announcedOn, stored_at: now, changed_at: now })
          .execute();
        await writePaperDetails(tx, record, now, authorCache);
        counts.inserted += 1;
      } else if (record.version > stored.latest_version) {
        await tx
          .updateTable('papers')
          .set({ ...paperColumns(record), summary_status: 'pending', summary_error: null, changed_at: now })
          .where('id', '=', record.id)
          .execute();
        await writePaperDetails(tx, record, now, authorCache);
        counts.updated += 1;
      } else if (record.version === stored.latest_version) {
        const categories = await tx.selectFrom('paper_categories').select('category').where('paper_id', '=', record.id).orderBy('position').execute();
        if (metadataChanged(stored, categories.map((c) => c.category), record)) {
          const textChanged = stored.title_raw !== record.title || stored.abstract_raw !== record.abstract;
          await tx
            .updateTable('papers')
            .set({ ...paperColumns(record), ...(textChanged ? { summary_status: 'pending' as const } : {}), changed_at: now })
            .where('id', '=', record.id)
            .execute();
          await writePaperDetails(tx, record, now, authorCache);
          counts.updated += 1;
        } else {
          counts.unchanged += 1;
        }
      } else {
        counts.unchanged += 1; // an older version: only its history row below
      }
      if (stored && (stored.first_announced_on === null || announcedOn < stored.first_announced_on)) {
        await tx.updateTable('papers').set({ first_announced_on: announcedOn }).where('id', '=', record.id).execute();
      }
      await tx
        .insertInto('paper_versions')
        .values({
          paper_id: record.id,
          version: record.version,
          submitted_at: record.updated,
          title_raw: record.title,
          abstract_raw: record.abstract,
          comment: record.comment,
          source,
          fetched_at: now,
        })
        .onConflict((oc) => oc.columns(['paper_id', 'version']).doNothing())
        .execute();
      await tx
        .insertInto('announcements')
        .values({ announced_on: announcedOn, paper_id: record.id, announce_type: announceType, version: record.version })
        .onConflict((oc) => oc.columns(['announced_on', 'paper_id']).doNothing())
        .execute();
    }
  });
  return counts;
}

export async function countPapers(store: Store): Promise<number> {
  const row = await store.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
