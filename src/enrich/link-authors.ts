/**
 * Applies the identity rules (identity.ts, docs/authors.md) to the store: an arXiv author appearance
 * that a source matched gets that source's ids; rows that share an id become one person; rows whose
 * ids conflict stay apart. Name-only rows are never joined to anything by their name.
 */
import type { Store } from '../store/store.ts';
import type { Db } from '../store/db.ts';
import { authorNameKey } from '../store/papers.ts';
import { hasAnyId, idsConflict, mergeIds, type AuthorIds } from './identity.ts';

interface AuthorRow extends AuthorIds {
  id: number;
  name: string;
  nameKey: string;
}

async function loadAuthors(tx: Db, where: { ids?: number[]; external?: AuthorIds }): Promise<AuthorRow[]> {
  let query = tx.selectFrom('authors').select(['id', 'name', 'name_key', 'semantic_scholar_id', 'openalex_id', 'orcid']);
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

function without(ids: AuthorIds, taken: AuthorIds): AuthorIds {
  return {
    semanticScholarId: ids.semanticScholarId !== null && ids.semanticScholarId === taken.semanticScholarId ? null : ids.semanticScholarId,
    openAlexId: ids.openAlexId !== null && ids.openAlexId === taken.openAlexId ? null : ids.openAlexId,
    orcid: ids.orcid !== null && ids.orcid === taken.orcid ? null : ids.orcid,
  };
}

/** Order of trust when picking the person an appearance belongs to: S2 id, then OpenAlex, then ORCID. */
function rank(row: AuthorRow, found: AuthorIds): number {
  if (found.semanticScholarId !== null && row.semanticScholarId === found.semanticScholarId) return 0;
  if (found.openAlexId !== null && row.openAlexId === found.openAlexId) return 1;
  return 2;
}

/** Links the author at (paperId, position) to the person with `found` ids; returns that author row id. */
export async function linkAppearance(tx: Db, paperId: string, position: number, found: AuthorIds, now: string): Promise<number | null> {
  if (!hasAnyId(found)) return null;
  const link = await tx.selectFrom('paper_authors').select(['author_id', 'name']).where('paper_id', '=', paperId).where('position', '=', position).executeTakeFirst();
  if (!link) return null;
  const [current] = await loadAuthors(tx, { ids: [link.author_id] });
  const holders = (await loadAuthors(tx, { external: found })).sort((a, b) => rank(a, found) - rank(b, found) || a.id - b.id);

  let target = holders.find((h) => !idsConflict(h, found)) ?? null;
  let wanted = found;
  if (target === null) {
    // Every holder conflicts (e.g. two S2 ids claim one ORCID): keep them apart and take no shared id.
    for (const holder of holders) wanted = without(wanted, holder);
    if (current && !idsConflict(current, wanted)) target = current;
  }
  if (target === null) {
    const created = await tx
      .insertInto('authors')
      .values({ name: link.name, name_key: authorNameKey(link.name), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    target = { id: created.id, name: link.name, nameKey: authorNameKey(link.name), semanticScholarId: null, openAlexId: null, orcid: null };
  }

  let ids = mergeIds(target, wanted);
  for (const other of holders) {
    if (other.id === target.id) continue;
    if (idsConflict(ids, other)) {
      ids = without(ids, other);
      continue;
    }
    // An id joins them: one person. Their papers move to the target and the other row goes.
    ids = mergeIds(ids, other);
    await tx.updateTable('paper_authors').set({ author_id: target.id }).where('author_id', '=', other.id).execute();
    await tx.deleteFrom('authors').where('id', '=', other.id).execute();
  }
  await tx
    .updateTable('authors')
    .set({ semantic_scholar_id: ids.semanticScholarId, openalex_id: ids.openAlexId, orcid: ids.orcid })
    .where('id', '=', target.id)
    .execute();
  if (link.author_id !== target.id) {
    await tx.updateTable('paper_authors').set({ author_id: target.id }).where('paper_id', '=', paperId).where('position', '=', position).execute();
    await deleteIfOrphanNameOnly(tx, link.author_id);
  }
  return target.id;
}

async function deleteIfOrphanNameOnly(tx: Db, authorId: number): Promise<void> {
  const used = await tx.selectFrom('paper_authors').select('author_id').where('author_id', '=', authorId).executeTakeFirst();
  if (used) return;
  await tx.deleteFrom('authors').where('id', '=', authorId).where('semantic_scholar_id', 'is', null).where('openalex_id', 'is', null).where('orcid', 'is', null).execute();
}
