/**
 * Who is who (docs/authors.md): pure rules, no I/O. An arXiv author is linked to a source's author
 * only through a paper both list, by position in the author list plus a name match.
 */
import { authorNameKey } from '../store/papers.ts';

export interface ExternalAuthorRef {
  id: string | null;
  name: string;
}

function tokens(name: string): string[] {
  return authorNameKey(name).split(' ').filter(Boolean);
}

/**
 * Two spellings of one name: the same family name (last word) and compatible given names — equal, or
 * one an initial of the other ("E. Duflo" ~ "Esther Duflo"). Names in reversed order ("Wang Wei" vs
 * "Wei Wang") match too, since sources differ in that for East Asian names.
 */
export function namesMatch(a: string, b: string): boolean {
  const x = tokens(a);
  const y = tokens(b);
  if (x.length === 0 || y.length === 0) return false;
  if (x.join(' ') === y.join(' ')) return true;
  return sameFamilyAndGiven(x, y) || (x.length === 2 && sameFamilyAndGiven([x[1]!, x[0]!], y));
}

function sameFamilyAndGiven(x: string[], y: string[]): boolean {
  if (x.at(-1) !== y.at(-1)) return false;
  const gx = x.slice(0, -1);
  const gy = y.slice(0, -1);
  if (gx.length === 0 || gy.length === 0) return true;
  const [first1, first2] = [gx[0]!, gy[0]!];
  // An initial stands for any given name starting with it; two full given names must be equal.
  if (first1.length === 1 || first2.length === 1) return first1[0] === first2[0];
  return first1 === first2;
}

/**
 * Matches a source's author list to the arXiv one: position i goes to the source author at i when
 * the names match; otherwise to the one source author whose name matches it and no other arXiv
 * author's (lists differ when a source drops or adds a name). Unmatched positions stay unlinked.
 */
export function matchAuthorLists<T extends ExternalAuthorRef>(arxivNames: string[], external: T[]): Map<number, T> {
  const matches = new Map<number, T>();
  const used = new Set<number>();
  arxivNames.forEach((name, i) => {
    const candidate = external[i];
    if (candidate && candidate.id !== null && namesMatch(name, candidate.name)) {
      matches.set(i, candidate);
      used.add(i);
    }
  });
  arxivNames.forEach((name, i) => {
    if (matches.has(i)) return;
    const options = external.map((e, j) => ({ e, j })).filter(({ e, j }) => !used.has(j) && e.id !== null && namesMatch(name, e.name));
    if (options.length !== 1) return;
    const { e, j } = options[0]!;
    // Unique both ways: no other unmatched arXiv author could claim the same source author.
    const rivals = arxivNames.filter((other, k) => k !== i && !matches.has(k) && namesMatch(other, e.name));
    if (rivals.length > 0) return;
    matches.set(i, e);
    used.add(j);
  });
  return matches;
}

export interface AuthorIds {
  semanticScholarId: string | null;
  openAlexId: string | null;
  orcid: string | null;
}

const ID_KINDS = ['semanticScholarId', 'openAlexId', 'orcid'] as const;

/** Two id sets conflict when they hold different values of the same kind: then they are two people. */
export function idsConflict(a: AuthorIds, b: AuthorIds): boolean {
  return ID_KINDS.some((kind) => a[kind] !== null && b[kind] !== null && a[kind] !== b[kind]);
}

/** True when the sets share at least one id: then they are one person (unless they conflict). */
export function idsShare(a: AuthorIds, b: AuthorIds): boolean {
  return ID_KINDS.some((kind) => a[kind] !== null && a[kind] === b[kind]);
}

export function mergeIds(a: AuthorIds, b: AuthorIds): AuthorIds {
  return {
    semanticScholarId: a.semanticScholarId ?? b.semanticScholarId,
    openAlexId: a.openAlexId ?? b.openAlexId,
    orcid: a.orcid ?? b.orcid,
  };
}

export function hasAnyId(ids: AuthorIds): boolean {
  return ID_KINDS.some((kind) => ids[kind] !== null);
}
