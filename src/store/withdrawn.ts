import type { Db } from './db.ts';

/** Withdrawn or deleted papers are marked, never deleted: readers may have links to them. Returns how many changed. */
export async function markWithdrawn(tx: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await tx.updateTable('papers').set({ withdrawn: 1, changed_at: new Date().toISOString() }).where('id', 'in', ids).where('withdrawn', '=', 0).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** arXiv replaces a withdrawn paper's abstract or comment with a withdrawal notice. */
export function looksWithdrawn(abstract: string, comment: string | null): boolean {
  return isWithdrawalNotice(abstract) || (comment !== null && isWithdrawalNotice(comment));
}

const WITHDRAWAL_NOTICE = /\b(this (paper|article|submission|manuscript) (has been|is) withdrawn|withdrawn by the (author|submitter|arxiv admin))/i;

// The notice's alternation is tried at every position of an abstract; a plain word search first
// skips it for the abstracts (nearly all) that never say "withdrawn".
function isWithdrawalNotice(text: string): boolean {
  return /withdrawn/i.test(text) && WITHDRAWAL_NOTICE.test(text);
}
