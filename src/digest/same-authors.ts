import type { SameAuthorPaperRow } from '../store/repositories/profiles.ts';
import type { Store } from '../store/store.ts';

/** Another paper of the same researchers, for the paper page: which of its authors it shares. */
export type SameAuthorPaper = SameAuthorPaperRow;

/**
 * The latest `limit` other papers that share at least one author profile with paper `id`, newest
 * first (the profiles' index on author_id makes this a few lookups per author, whatever the store's size).
 */
export function papersBySameAuthors(store: Store, id: string, limit = 8): Promise<SameAuthorPaper[]> {
  return store.profiles.sameAuthorPapers(id, limit);
}
