import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';
import { detectCodeLinks } from '../arxiv/code-links.ts';
import { toDisplayText } from '../arxiv/text.ts';
import type { Store } from './db.ts';
import { looksWithdrawn } from './withdrawn.ts';

export interface StoreCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** How an author name is compared when no external id is known yet. */
export function authorNameKey(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim() || name
  );
}

// Rows per multi-row statement: well under SQLite's 32,766 bound variables for every table here.
const ROWS_PER_STATEMENT = 500;

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type StoredPaper = {
  id: string;
  latest_version: number;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  /** Raw text of the stored version; null only if its version row is missing. */
  title_raw: string | null;
  abstract_raw: string | null;
  first_announced_on: string | null;
};

// Display text is needed twice per record (columns and code-link detection): compute it once.
const displayAbstracts = new WeakMap<PaperRecord, string>();
function displayAbstract(record: PaperRecord): string {
  let text = displayAbstracts.get(record);
  if (text === undefined) {
    text = toDisplayText(record.abstract);
    displayAbstracts.set(record, text);
  }
  return text;
}

function paperColumns(record: PaperRecord) {
  return {
    latest_version: record.version,
    title: toDisplayText(record.title),
    abstract: displayAbstract(record),
    comment: record.comment,
    journal_ref: record.journalRef,
    doi: record.doi,
    license: record.license,
    primary_category: record.categories[0]!,
    updated_at: record.updated,
    withdrawn: looksWithdrawn(record.abstract, record.comment) ? 1 : 0,
  };
}

function uniqueCategories(record: PaperRecord): string[] {
  return [...new Set(record.categories)];
}

/** True when something a reader sees changed without a new version (a journal ref or cross-list was added). */
function metadataChanged(stored: StoredPaper, storedCategories: string[], record: PaperRecord): boolean {
  return (
    stored.comment !== record.comment ||
    stored.journal_ref !== record.journalRef ||
    stored.doi !== record.doi ||
    stored.license !== record.license ||
    stored.title_raw !== record.title ||
    stored.abstract_raw !== record.abstract ||
    storedCategories.join(' ') !== uniqueCategories(record).join(' ')
  );
}

/**
 * Assigns an author row to every (paper, position), in bulk. Identity rule (docs/authors.md): a name
 * alone never joins two papers, so an appearance keeps the row it had on this paper (same name, any
 * position: a new version may reorder the list) and otherwise gets a new name-only row. Rows gain
 * external ids, and so join papers, only through enrichment.
 */
async function resolveAuthorIds(tx: Store, records: PaperRecord[], now: string): Promise<Array<Array<number>>> {
  const previous = new Map<string, Array<{ key: string; authorId: number }>>();
  for (const part of chunks(records.map((r) => r.id))) {
    const rows = await tx
      .selectFrom('paper_authors as pa')
      .innerJoin('authors as a', 'a.id', 'pa.author_id')
      .select(['pa.paper_id', 'pa.author_id', 'a.name_key'])
      .where('pa.paper_id', 'in', part)
      .orderBy('pa.paper_id')
      .orderBy('pa.position')
      .execute();
    for (const row of rows) {
      const list = previous.get(row.paper_id) ?? [];
      list.push({ key: row.name_key, authorId: row.author_id });
      previous.set(row.paper_id, list);
    }
  }
  const last = await tx.selectFrom('authors').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  let nextId = Number(last?.id ?? 0) + 1;
  const created: Array<{ id: number; name: string; name_key: string; created_at: string }> = [];
  const assigned = records.map((record) => {
    const unused = [...(previous.get(record.id) ?? [])];
    return record.authors.map((author) => {
      const key = authorNameKey(author.name);
      const reuse = unused.findIndex((p) => p.key === key);
      if (reuse >= 0) return unused.splice(reuse, 1)[0]!.authorId;
      // Explicit ids keep this set-based: one multi-row insert, no per-row round trip for RETURNING.
      created.push({ id: nextId, name: author.name, name_key: key, created_at: now });
      return nextId++;
    });
  });
  for (const part of chunks(created)) await tx.insertInto('authors').values(part).execute();
  return assigned;
}

/** Name-only author rows no paper refers to any more (a new version dropped a name). */
async function deleteOrphanNameOnlyAuthors(tx: Store, candidates: number[]): Promise<void> {
  for (const part of chunks(candidates)) {
    await tx
      .deleteFrom('authors')
      .where('id', 'in', part)
      .where('semantic_scholar_id', 'is', null)
      .where('openalex_id', 'is', null)
      .where('orcid', 'is', null)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('paper_authors').select('author_id').whereRef('paper_authors.author_id', '=', 'authors.id'))))
      .execute();
  }
}

/** Writes the categories, author links and code links of papers whose shown record is `record`. */
async function writePaperDetails(tx: Store, records: PaperRecord[], now: string): Promise<void> {
  if (records.length === 0) return;
  const ids = records.map((r) => r.id);
  const authorIds = await resolveAuthorIds(tx, records, now);
  const previousAuthors: number[] = [];
  for (const part of chunks(ids)) {
    const rows = await tx.selectFrom('paper_authors').select('author_id').where('paper_id', 'in', part).execute();
    previousAuthors.push(...rows.map((r) => r.author_id));
    await tx.deleteFrom('paper_categories').where('paper_id', 'in', part).execute();
    await tx.deleteFrom('paper_authors').where('paper_id', 'in', part).execute();
    await tx.deleteFrom('code_links').where('paper_id', 'in', part).execute();
  }
  const categoryRows = records.flatMap((r) => uniqueCategories(r).map((category, position) => ({ paper_id: r.id, category, position })));
  const authorRows = records.flatMap((r, index) =>
    r.authors.map((author, position) => ({
      paper_id: r.id,
      position,
      author_id: authorIds[index]![position]!,
      name: author.name,
      affiliations: JSON.stringify(author.affiliations),
    })),
  );
  const codeRows = records.flatMap((r) =>
    detectCodeLinks(r.comment, displayAbstract(r)).map((link) => ({ paper_id: r.id, url: link.url, found_in: link.foundIn })),
  );
  for (const part of chunks(categoryRows)) await tx.insertInto('paper_categories').values(part).execute();
  for (const part of chunks(authorRows)) await tx.insertInto('paper_authors').values(part).execute();
  await deleteOrphanNameOnlyAuthors(tx, [...new Set(previousAuthors)]);
  for (const part of chunks(codeRows)) await tx.insertInto('code_links').values(part).execute();
}

/**
 * Stores announced papers idempotently, in one transaction and a fixed number of set-based
 * statements: a paper is keyed by arXiv id, every version is kept, a newer version replaces the
 * shown metadata and marks the summary stale, and an older or repeated version changes nothing else.
 */
export async function storeAnnouncedPapers(store: Store, papers: AnnouncedPaper[], source: string): Promise<StoreCounts> {
  return store.transaction().execute((tx) => storeAnnouncedPapersIn(tx, papers, source));
}

/** The same, inside a transaction the caller owns (so a checkpoint can commit with the papers). */
export async function storeAnnouncedPapersIn(tx: Store, papers: AnnouncedPaper[], source: string): Promise<StoreCounts> {
  const counts: StoreCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (papers.length === 0) return counts;
  const now = new Date().toISOString();
  // The newest version of each paper in this batch decides what is shown; the earliest day is its first announcement.
  const newest = new Map<string, AnnouncedPaper>();
  const firstAnnounced = new Map<string, string>();
  for (const paper of papers) {
    const seen = newest.get(paper.record.id);
    if (!seen || paper.record.version > seen.record.version) newest.set(paper.record.id, paper);
    const first = firstAnnounced.get(paper.record.id);
    if (first === undefined || paper.announcedOn < first) firstAnnounced.set(paper.record.id, paper.announcedOn);
  }
  const ids = [...newest.keys()];
  const stored = new Map<string, StoredPaper>();
  const storedCategories = new Map<string, string[]>();
  for (const part of chunks(ids)) {
    const rows = await tx
      .selectFrom('papers as p')
      .leftJoin('paper_versions as v', (join) => join.onRef('v.paper_id', '=', 'p.id').onRef('v.version', '=', 'p.latest_version'))
      .select(['p.id', 'p.latest_version', 'p.comment', 'p.journal_ref', 'p.doi', 'p.license', 'v.title_raw', 'v.abstract_raw', 'p.first_announced_on'])
      .where('p.id', 'in', part)
      .execute();
    for (const row of rows) stored.set(row.id, row);
    const existing = rows.map((r) => r.id);
    if (existing.length === 0) continue;
    const categories = await tx.selectFrom('paper_categories').select(['paper_id', 'category']).where('paper_id', 'in', existing).orderBy('paper_id').orderBy('position').execute();
    for (const row of categories) {
      const list = storedCategories.get(row.paper_id);
      if (list) list.push(row.category);
      else storedCategories.set(row.paper_id, [row.category]);
    }
  }

  const inserts: AnnouncedPaper[] = [];
  const updates: Array<{ paper: AnnouncedPaper; textChanged: boolean }> = [];
  for (const paper of newest.values()) {
    const current = stored.get(paper.record.id);
    if (!current) inserts.push(paper);
    else if (paper.record.version > current.latest_version) updates.push({ paper, textChanged: true });
    else if (paper.record.version === current.latest_version && metadataChanged(current, storedCategories.get(paper.record.id) ?? [], paper.record)) {
      updates.push({ paper, textChanged: current.title_raw !== paper.record.title || current.abstract_raw !== paper.record.abstract });
    } else counts.unchanged += 1;
  }
  counts.inserted = inserts.length;
  counts.updated = updates.length;

  for (const part of chunks(inserts, 200)) {
    await tx
      .insertInto('papers')
      .values(
        part.map(({ record }) => ({
          id: record.id,
          ...paperColumns(record),
          published_at: record.published,
          first_announced_on: firstAnnounced.get(record.id)!,
          stored_at: now,
          changed_at: now,
        })),
      )
      .execute();
  }
  for (const { paper, textChanged } of updates) {
    await tx
      .updateTable('papers')
      .set({ ...paperColumns(paper.record), ...(textChanged ? { summary_status: 'pending' as const, summary_error: null } : {}), changed_at: now })
      .where('id', '=', paper.record.id)
      .execute();
  }
  await writePaperDetails(tx, [...inserts, ...updates.map((u) => u.paper)].map((p) => p.record), now);

  // Announcements dated earlier than what is stored move the first-announcement date back.
  for (const paper of papers) {
    const current = stored.get(paper.record.id);
    if (current && (current.first_announced_on === null || paper.announcedOn < current.first_announced_on)) {
      current.first_announced_on = paper.announcedOn;
      await tx.updateTable('papers').set({ first_announced_on: paper.announcedOn }).where('id', '=', paper.record.id).execute();
    }
  }

  const versionRows = papers.flatMap(({ record }) => {
    const history = (record.versions ?? []).filter((v) => v.version !== record.version);
    return [
      { paper_id: record.id, version: record.version, submitted_at: record.updated, title_raw: record.title, abstract_raw: record.abstract, comment: record.comment, source, fetched_at: now },
      // Earlier versions known only by date (arXivRaw) keep the text of the version that listed them.
      ...history.map((v) => ({ paper_id: record.id, version: v.version, submitted_at: v.submitted, title_raw: record.title, abstract_raw: record.abstract, comment: record.comment, source, fetched_at: now })),
    ];
  });
  for (const part of chunks(versionRows, 300)) {
    await tx.insertInto('paper_versions').values(part).onConflict((oc) => oc.columns(['paper_id', 'version']).doNothing()).execute();
  }
  const announcementRows = papers.map(({ record, announcedOn, announceType, announcedVersion }) => ({
    announced_on: announcedOn,
    paper_id: record.id,
    announce_type: announceType,
    version: announcedVersion ?? record.version,
  }));
  for (const part of chunks(announcementRows)) {
    await tx.insertInto('announcements').values(part).onConflict((oc) => oc.columns(['announced_on', 'paper_id']).doNothing()).execute();
  }
  return counts;
}

export async function countPapers(store: Store): Promise<number> {
  const row = await store.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds announcement rows for papers already stored at the announced version (nothing else changes). */
export async function recordAnnouncements(
  store: Store,
  rows: Array<{ paperId: string; announcedOn: string; announceType: AnnouncedPaper['announceType']; version: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  await store.transaction().execute(async (tx) => {
    for (const part of chunks(rows)) {
      await tx
        .insertInto('announcements')
        .values(part.map((r) => ({ announced_on: r.announcedOn, paper_id: r.paperId, announce_type: r.announceType, version: r.version })))
        .onConflict((oc) => oc.columns(['announced_on', 'paper_id']).doNothing())
        .execute();
    }
    for (const row of rows) {
      await tx
        .updateTable('papers')
        .set({ first_announced_on: row.announcedOn })
        .where('id', '=', row.paperId)
        .where((eb) => eb.or([eb('first_announced_on', 'is', null), eb('first_announced_on', '>', row.announcedOn)]))
        .execute();
    }
  });
}
