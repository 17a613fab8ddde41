import { groupBy } from '../domain/collections.ts';
import type { AnnouncedPaper, PaperRecord } from '../domain/paper.ts';
import { detectCodeLinks } from '../arxiv/code-links.ts';
import { toDisplayText } from '../arxiv/text.ts';
import { inTransaction, type Db } from './db.ts';
import { deleteWhereIn, inJsonList, insertRows } from './bulk-rows.ts';
import { looksWithdrawn } from './withdrawn.ts';
import { dialectOf } from './dialect.ts';
import { sql } from 'kysely';

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

type PaperColumn = keyof ReturnType<typeof paperColumns>;
/** The shown-metadata columns in a fixed order, for set-based inserts. */
const PAPER_COLUMNS: readonly PaperColumn[] = [
  'latest_version', 'title', 'abstract', 'comment', 'journal_ref', 'doi', 'license', 'primary_category', 'updated_at', 'withdrawn',
];

function paperColumnValues(record: PaperRecord): unknown[] {
  const columns = paperColumns(record);
  return PAPER_COLUMNS.map((name) => columns[name]);
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
 * external ids, and so join papers, only through enrichment. Only papers stored before (`replacing`)
 * can have rows to keep. Returns the ids per record and author position, and the ids the replaced
 * papers listed before (candidates for clean-up).
 */
async function resolveAuthorIds(
  tx: Db,
  records: PaperRecord[],
  replacing: string[],
  now: string,
): Promise<{ assigned: number[][]; previousIds: number[] }> {
  const previous = new Map<string, Array<{ key: string; authorId: number }>>();
  const previousIds: number[] = [];
  if (replacing.length > 0) {
    const rows = await tx
      .selectFrom('paper_authors as pa')
      .innerJoin('authors as a', 'a.id', 'pa.author_id')
      .select(['pa.paper_id', 'pa.author_id', 'a.name_key'])
      .where(inJsonList(tx, 'pa.paper_id', replacing))
      .orderBy('pa.paper_id')
      .orderBy('pa.position')
      .execute();
    for (const row of rows) {
      const list = previous.get(row.paper_id) ?? [];
      list.push({ key: row.name_key, authorId: row.author_id });
      previous.set(row.paper_id, list);
      previousIds.push(row.author_id);
    }
  }
  let nextId = await firstFreeAuthorId(tx, records);
  const nameKeys = new Map<string, string>();
  const keyOf = (name: string): string => {
    let key = nameKeys.get(name);
    if (key === undefined) nameKeys.set(name, (key = authorNameKey(name)));
    return key;
  };
  const created: unknown[] = [];
  const assigned = records.map((record) => {
    const kept = previous.get(record.id);
    const unused = kept === undefined ? null : [...kept];
    return record.authors.map((author) => {
      const key = keyOf(author.name);
      const reuse = unused === null ? -1 : unused.findIndex((p) => p.key === key);
      if (reuse >= 0) return unused!.splice(reuse, 1)[0]!.authorId;
      // Explicit ids keep this set-based: one multi-row insert, no RETURNING to read back.
      created.push(nextId, author.name, key);
      return nextId++;
    });
  });
  await insertRows(tx, 'authors', ['id', 'name', 'name_key'], created, { shared: { created_at: now } });
  return { assigned, previousIds };
}

/**
 * Where explicit author ids may start. SQLite: after the largest id (one writer at a time). PostgreSQL:
 * a block taken from the identity sequence, so concurrent writers never pick the same ids and later
 * inserts that leave the id to the default (enrichment) do not collide with these.
 */
async function firstFreeAuthorId(tx: Db, records: PaperRecord[]): Promise<number> {
  if (dialectOf(tx) === 'postgres') {
    const wanted = records.reduce((n, r) => n + r.authors.length, 0);
    if (wanted === 0) return 1;
    // setval after nextval is two steps: a transaction-scoped advisory lock keeps two writers from
    // interleaving them (the ingest transaction is short; the lock ends with it).
    await sql`SELECT pg_advisory_xact_lock(hashtext('papersift.authors.id'))`.execute(tx);
    const block = await sql<{ first: number }>`
      SELECT setval(pg_get_serial_sequence('authors', 'id'), nextval(pg_get_serial_sequence('authors', 'id')) + ${wanted - 1}) - ${wanted - 1} AS first`.execute(tx);
    return Number(block.rows[0]!.first);
  }
  const last = await tx.selectFrom('authors').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(last?.id ?? 0) + 1;
}

/** Name-only author rows no paper refers to any more (a new version dropped a name). */
async function deleteOrphanNameOnlyAuthors(tx: Db, candidates: number[]): Promise<void> {
  if (candidates.length === 0) return;
  await tx
    .deleteFrom('authors')
    .where(inJsonList(tx, 'id', [...new Set(candidates)]))
    .where('semantic_scholar_id', 'is', null)
    .where('openalex_id', 'is', null)
    .where('orcid', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('paper_authors').select('author_id').whereRef('paper_authors.author_id', '=', 'authors.id'))))
    .execute();
}

const NO_AFFILIATIONS = JSON.stringify([]);

/**
 * Writes the categories, author links and code links of papers whose shown record is `record`.
 * `replacing` lists the papers that had details before (new papers have none to delete).
 */
async function writePaperDetails(tx: Db, records: PaperRecord[], replacing: string[], now: string): Promise<void> {
  if (records.length === 0) return;
  const { assigned, previousIds } = await resolveAuthorIds(tx, records, replacing, now);
  if (replacing.length > 0) {
    // Their author names change with the list: the search index stage rewrites marked papers.
    await tx.updateTable('papers').set({ search_indexed: 0 }).where(inJsonList(tx, 'id', replacing)).where('search_indexed', '=', 1).execute();
  }
  await deleteWhereIn(tx, 'paper_categories', 'paper_id', replacing);
  await deleteWhereIn(tx, 'paper_authors', 'paper_id', replacing);
  await deleteWhereIn(tx, 'code_links', 'paper_id', replacing);
  const categoryRows: unknown[] = [];
  const authorRows: unknown[] = [];
  const codeRows: unknown[] = [];
  records.forEach((r, index) => {
    uniqueCategories(r).forEach((category, position) => categoryRows.push(r.id, category, position));
    r.authors.forEach((author, position) =>
      authorRows.push(r.id, position, assigned[index]![position]!, author.name, author.affiliations.length === 0 ? NO_AFFILIATIONS : JSON.stringify(author.affiliations)),
    );
    for (const link of detectCodeLinks(r.comment, displayAbstract(r))) codeRows.push(r.id, link.url, link.foundIn);
  });
  await insertRows(tx, 'paper_categories', ['paper_id', 'category', 'position'], categoryRows);
  await insertRows(tx, 'paper_authors', ['paper_id', 'position', 'author_id', 'name', 'affiliations'], authorRows);
  await deleteOrphanNameOnlyAuthors(tx, previousIds);
  await insertRows(tx, 'code_links', ['paper_id', 'url', 'found_in'], codeRows);
}

/**
 * Stores announced papers idempotently, in one transaction (the caller's, if `store` is one) and a
 * fixed number of set-based statements: a paper is keyed by arXiv id, every version is kept, a newer
 * version replaces the shown metadata and marks the summary stale, and an older or repeated version
 * changes nothing else.
 */
export async function storeAnnouncedPapers(store: Db, papers: AnnouncedPaper[], source: string): Promise<StoreCounts> {
  return inTransaction(store, (tx) => storeAnnouncedPapersIn(tx, papers, source));
}

/** The same, inside a transaction the caller owns (so a checkpoint can commit with the papers). */
export async function storeAnnouncedPapersIn(tx: Db, papers: AnnouncedPaper[], source: string): Promise<StoreCounts> {
  const counts: StoreCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (papers.length === 0) return counts;
  // What is stored is read, then the difference written: two processes storing the same papers at once
  // (two ingests of one range) must not both read "new" and both insert (PostgreSQL: a duplicate key
  // fails the second). SQLite's BEGIN IMMEDIATE already makes writers take turns; on PostgreSQL an
  // advisory lock held to the end of the transaction does. One lock, not one per paper: a snapshot
  // transaction stores thousands of papers, more than the server's lock table holds.
  if (dialectOf(tx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext('papersift.papers.store'))`.execute(tx);
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
  let storedCategories = new Map<string, string[]>();
  const rows = await tx
    .selectFrom('papers as p')
    .leftJoin('paper_versions as v', (join) => join.onRef('v.paper_id', '=', 'p.id').onRef('v.version', '=', 'p.latest_version'))
    .select(['p.id', 'p.latest_version', 'p.comment', 'p.journal_ref', 'p.doi', 'p.license', 'v.title_raw', 'v.abstract_raw', 'p.first_announced_on'])
    .where(inJsonList(tx, 'p.id', ids))
    .execute();
  for (const row of rows) stored.set(row.id, row);
  if (rows.length > 0) {
    const categories = await tx
      .selectFrom('paper_categories')
      .select(['paper_id', 'category'])
      .where(inJsonList(tx, 'paper_id', rows.map((r) => r.id)))
      .orderBy('paper_id')
      .orderBy('position')
      .execute();
    storedCategories = groupBy(categories, (row) => row.paper_id, (row) => row.category);
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

  await insertRows(
    tx,
    'papers',
    ['id', ...PAPER_COLUMNS, 'published_at', 'first_announced_on'],
    inserts.flatMap(({ record }) => [record.id, ...paperColumnValues(record), record.published, firstAnnounced.get(record.id)!]),
    { shared: { stored_at: now, changed_at: now } },
  );
  for (const { paper, textChanged } of updates) {
    await tx
      .updateTable('papers')
      .set({ ...paperColumns(paper.record), ...(textChanged ? { summary_status: 'pending' as const, summary_error: null } : {}), changed_at: now })
      .where('id', '=', paper.record.id)
      .execute();
  }
  await writePaperDetails(
    tx,
    [...inserts, ...updates.map((u) => u.paper)].map((p) => p.record),
    updates.map((u) => u.paper.record.id),
    now,
  );

  // Announcements dated earlier than what is stored move the first-announcement date back.
  for (const paper of papers) {
    const current = stored.get(paper.record.id);
    if (current && (current.first_announced_on === null || paper.announcedOn < current.first_announced_on)) {
      current.first_announced_on = paper.announcedOn;
      await tx.updateTable('papers').set({ first_announced_on: paper.announcedOn }).where('id', '=', paper.record.id).execute();
    }
  }

  const versionRows: unknown[] = [];
  for (const { record } of papers) {
    versionRows.push(record.id, record.version, record.updated, record.title, record.abstract, record.comment);
    // Earlier versions known only by date (arXivRaw) keep the text of the version that listed them.
    for (const v of record.versions ?? []) {
      if (v.version !== record.version) versionRows.push(record.id, v.version, v.submitted, record.title, record.abstract, record.comment);
    }
  }
  await insertRows(tx, 'paper_versions', ['paper_id', 'version', 'submitted_at', 'title_raw', 'abstract_raw', 'comment'], versionRows, {
    ignoreConflicts: true,
    shared: { source, fetched_at: now },
  });
  await insertAnnouncementRows(
    tx,
    papers.flatMap(({ record, announcedOn, announceType, announcedVersion }) => [announcedOn, record.id, announceType, announcedVersion ?? record.version]),
  );
  return counts;
}

/** Announcement rows, flat: announced_on, paper_id, announce_type, version; a day lists a paper once. */
async function insertAnnouncementRows(tx: Db, rows: unknown[]): Promise<void> {
  await insertRows(tx, 'announcements', ['announced_on', 'paper_id', 'announce_type', 'version'], rows, { ignoreConflicts: true });
}

export async function countPapers(store: Db): Promise<number> {
  const row = await store.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds announcement rows for papers already stored at the announced version (nothing else changes). */
export async function recordAnnouncements(
  store: Db,
  rows: Array<{ paperId: string; announcedOn: string; announceType: AnnouncedPaper['announceType']; version: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  await inTransaction(store, async (tx) => {
    await insertAnnouncementRows(tx, rows.flatMap((r) => [r.announcedOn, r.paperId, r.announceType, r.version]));
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
