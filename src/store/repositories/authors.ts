import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { ExternalAuthorsTable, ExternalSource } from '../schema.ts';

/** An author row with its external ids (the shape the identity rules work on). */
export interface StoredAuthor {
  id: number;
  name: string;
  nameKey: string;
  semanticScholarId: string | null;
  openAlexId: string | null;
  orcid: string | null;
}

export interface ExternalIds {
  semanticScholarId: string | null;
  openAlexId: string | null;
  orcid: string | null;
}

export interface PaperLookupRow {
  paper_id: string;
  source: ExternalSource;
  version: number;
  status: 'found' | 'not_found';
  external_id: string | null;
  citation_count: number | null;
  influential_citation_count: number | null;
  fetched_at: string;
}

export interface AuthorMatch {
  position: number;
  id: string;
  name: string;
  orcid: string | null;
  institutions: Array<{ name: string; ror: string | null }>;
}

/** An author record as a source answered it: the table's row without the source and the fetch time. */
export type ExternalAuthorRow = Omit<ExternalAuthorsTable, 'source' | 'fetched_at'>;

/**
 * Author enrichment: external lookups of papers, the authors they match, author identity rows and
 * the external authors' figures. The only dialect difference is how a query says "no limit".
 */
export abstract class AuthorsRepository {
  constructor(protected readonly db: Db) {}

  /** What LIMIT takes to mean "no limit". */
  protected abstract readonly noLimit: number | null;

  /**
   * Papers with a lookup due in either source (missing, older than `cutoff`, or for an older version),
   * newest announcement first, with which of the two are due.
   */
  async papersDueForLookup(cutoff: string, limit: number | undefined): Promise<Array<{ id: string; latest_version: number; s2_due: number; oa_due: number }>> {
    const rows = await sql<{ id: string; latest_version: number; s2_due: number; oa_due: number }>`
    SELECT p.id, p.latest_version,
      (s.paper_id IS NULL OR s.fetched_at < ${cutoff} OR s.version < p.latest_version) AS s2_due,
      (o.paper_id IS NULL OR o.fetched_at < ${cutoff} OR o.version < p.latest_version) AS oa_due
    FROM papers p
    LEFT JOIN paper_lookups s ON s.paper_id = p.id AND s.source = 'semantic_scholar'
    LEFT JOIN paper_lookups o ON o.paper_id = p.id AND o.source = 'openalex'
    WHERE (s.paper_id IS NULL OR s.fetched_at < ${cutoff} OR s.version < p.latest_version)
       OR (o.paper_id IS NULL OR o.fetched_at < ${cutoff} OR o.version < p.latest_version)
    ORDER BY COALESCE(p.first_announced_on, p.published_at) DESC, p.id
    LIMIT ${limit ?? this.noLimit}`.execute(this.db);
    return rows.rows;
  }

  /** The arXiv author names of these papers, by paper then position. */
  authorNamesInOrder(paperIds: readonly string[]): Promise<Array<{ paper_id: string; position: number; name: string }>> {
    return this.db.selectFrom('paper_authors').select(['paper_id', 'position', 'name']).where('paper_id', 'in', [...paperIds]).orderBy('paper_id').orderBy('position').execute();
  }

  /** Inserts or replaces the lookup of a paper in one source. */
  async saveLookup(row: PaperLookupRow): Promise<void> {
    await this.db.insertInto('paper_lookups').values(row).onConflict((oc) => oc.columns(['paper_id', 'source']).doUpdateSet(row)).execute();
  }

  /** Replaces what `source` matched of a paper's authors. */
  async replaceMatches(paperId: string, source: ExternalSource, matches: readonly AuthorMatch[]): Promise<void> {
    await this.db.deleteFrom('paper_author_matches').where('paper_id', '=', paperId).where('source', '=', source).execute();
    if (matches.length === 0) return;
    await this.db
      .insertInto('paper_author_matches')
      .values(matches.map((m) => ({ paper_id: paperId, position: m.position, source, external_author_id: m.id, external_name: m.name, orcid: m.orcid, institutions: JSON.stringify(m.institutions) })))
      .execute();
  }

  /** Every source's matches of a paper's authors, by position. */
  matchesOf(paperId: string): Promise<Array<{ position: number; source: ExternalSource; external_author_id: string; orcid: string | null }>> {
    return this.db.selectFrom('paper_author_matches').select(['position', 'source', 'external_author_id', 'orcid']).where('paper_id', '=', paperId).orderBy('position').execute();
  }

  /** The author row linked at (paperId, position) and the name printed there. */
  appearance(paperId: string, position: number): Promise<{ author_id: number; name: string } | undefined> {
    return this.db.selectFrom('paper_authors').select(['author_id', 'name']).where('paper_id', '=', paperId).where('position', '=', position).executeTakeFirst();
  }

  /** Author rows by id, or those holding any of the given external ids; by id. */
  async authorsWhere(where: { ids?: number[]; external?: ExternalIds }): Promise<StoredAuthor[]> {
    let query = this.db.selectFrom('authors').select(['id', 'name', 'name_key', 'semantic_scholar_id', 'openalex_id', 'orcid']);
    if (where.ids) query = query.where('id', 'in', where.ids);
    if (where.external) {
      const e = where.external;
      query = query.where((eb) =>
        eb.or([
          ...(e.semanticScholarId ? [eb('semantic_scholar_id', '=', e.semanticScholarId)] : []),
          ...(e.openAlexId ? [eb('openalex_id', '=', e.openAlexId)] : []),
          ...(e.orcid ? [eb('orcid', '=', e.orcid)] : []),
        ]),
      );
    }
    const rows = await query.orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, nameKey: r.name_key, semanticScholarId: r.semantic_scholar_id, openAlexId: r.openalex_id, orcid: r.orcid }));
  }

  /** Creates a name-only author row; returns its id. */
  async createAuthor(name: string, nameKey: string, now: string): Promise<number> {
    const created = await this.db.insertInto('authors').values({ name, name_key: nameKey, created_at: now }).returning('id').executeTakeFirstOrThrow();
    return created.id;
  }

  /** Moves every appearance of one author row to another and deletes the first (one person). */
  async mergeInto(targetId: number, otherId: number): Promise<void> {
    await this.db.updateTable('paper_authors').set({ author_id: targetId }).where('author_id', '=', otherId).execute();
    await this.db.deleteFrom('authors').where('id', '=', otherId).execute();
  }

  async setExternalIds(authorId: number, ids: ExternalIds): Promise<void> {
    await this.db.updateTable('authors').set({ semantic_scholar_id: ids.semanticScholarId, openalex_id: ids.openAlexId, orcid: ids.orcid }).where('id', '=', authorId).execute();
  }

  /** Links the appearance at (paperId, position) to another author row. */
  async relinkAppearance(paperId: string, position: number, authorId: number): Promise<void> {
    await this.db.updateTable('paper_authors').set({ author_id: authorId }).where('paper_id', '=', paperId).where('position', '=', position).execute();
  }

  /** Deletes an author row that no paper links to and that has no external id. */
  async deleteIfOrphanNameOnly(authorId: number): Promise<void> {
    const used = await this.db.selectFrom('paper_authors').select('author_id').where('author_id', '=', authorId).executeTakeFirst();
    if (used) return;
    await this.db.deleteFrom('authors').where('id', '=', authorId).where('semantic_scholar_id', 'is', null).where('openalex_id', 'is', null).where('orcid', 'is', null).execute();
  }

  /** External ids (of `source`) of linked authors whose stored record is missing or fetched before `cutoff`. */
  async externalIdsDueForRefresh(source: ExternalSource, cutoff: string): Promise<string[]> {
    const column = source === 'semantic_scholar' ? 'semantic_scholar_id' : 'openalex_id';
    const due = await sql<{ id: string }>`
      SELECT DISTINCT a.${sql.ref(column)} AS id FROM authors a
      LEFT JOIN external_authors e ON e.source = ${source} AND e.external_id = a.${sql.ref(column)}
      WHERE a.${sql.ref(column)} IS NOT NULL AND (e.external_id IS NULL OR e.fetched_at < ${cutoff})
      ORDER BY 1`.execute(this.db);
    return due.rows.map((r) => r.id);
  }

  /** Inserts or replaces external authors' records, in one transaction. */
  async saveExternalAuthors(source: ExternalSource, rows: readonly ExternalAuthorRow[], now: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const row of rows) {
        const values = { source, ...row, fetched_at: now };
        await tx.insertInto('external_authors').values(values).onConflict((oc) => oc.columns(['source', 'external_id']).doUpdateSet(values)).execute();
      }
    });
  }
}

export class SqliteAuthors extends AuthorsRepository {
  protected readonly noLimit = -1;
}

export class PostgresAuthors extends AuthorsRepository {
  protected readonly noLimit = null;
}
