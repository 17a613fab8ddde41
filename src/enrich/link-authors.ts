/**
 * Applies the identity rules (identity.ts, docs/authors.md) to the store: an arXiv author appearance
 * that a source matched gets that source's ids; rows that share an id become one person; rows whose
 * ids conflict stay apart. Name-only rows are never joined to anything by their name.
 */
import type { AuthorsRepository, StoredAuthor } from '../store/repositories/authors.ts';
import { authorNameKey } from '../store/papers.ts';
import { hasAnyId, idsConflict, mergeIds, type AuthorIds } from './identity.ts';

type AuthorRow = StoredAuthor;

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
export async function linkAppearance(authors: AuthorsRepository, paperId: string, position: number, found: AuthorIds, now: string): Promise<number | null> {
  if (!hasAnyId(found)) return null;
  const link = await authors.appearance(paperId, position);
  if (!link) return null;
  const [current] = await authors.authorsWhere({ ids: [link.author_id] });
  const holders = (await authors.authorsWhere({ external: found })).sort((a, b) => rank(a, found) - rank(b, found) || a.id - b.id);

  let target = holders.find((h) => !idsConflict(h, found)) ?? null;
  let wanted = found;
  if (target === null) {
    // Every holder conflicts (e.g. two S2 ids claim one ORCID): keep them apart and take no shared id.
    for (const holder of holders) wanted = without(wanted, holder);
    if (current && !idsConflict(current, wanted)) target = current;
  }
  if (target === null) {
    const createdId = await authors.createAuthor(link.name, authorNameKey(link.name), now);
    target = { id: createdId, name: link.name, nameKey: authorNameKey(link.name), semanticScholarId: null, openAlexId: null, orcid: null };
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
    await authors.mergeInto(target.id, other.id);
  }
  await authors.setExternalIds(target.id, ids);
  if (link.author_id !== target.id) {
    await authors.relinkAppearance(paperId, position, target.id);
    await authors.deleteIfOrphanNameOnly(link.author_id);
  }
  return target.id;
}
