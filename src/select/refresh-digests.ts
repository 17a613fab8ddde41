import type { Store } from '../store/db.ts';
import { isTag, type Tag } from '../summarize/taxonomy.ts';
import { SELECTION_METHOD, selectDigest, type SelectionCandidate } from './select-digest.ts';

export interface DigestSettings {
  digestSize: number;
  historyDays: number;
  categories: string[];
  maxTagShare?: number;
}

/** The announcement days in the browsable window, newest first. */
export async function historyWindow(store: Store, historyDays: number): Promise<string[]> {
  const rows = await store
    .selectFrom('announcements')
    .select('announced_on')
    .distinct()
    .orderBy('announced_on', 'desc')
    .limit(historyDays)
    .execute();
  return rows.map((r) => r.announced_on);
}

async function candidatesOf(store: Store, day: string): Promise<SelectionCandidate[]> {
  const rows = await store
    .selectFrom('announcements as a')
    .innerJoin('papers as p', 'p.id', 'a.paper_id')
    .innerJoin('summaries as s', (join) => join.onRef('s.paper_id', '=', 'p.id').onRef('s.version', '=', 'p.latest_version'))
    .select(['p.id', 'p.primary_category', 'p.abstract', 'p.comment', 's.tags'])
    .where('a.announced_on', '=', day)
    .where('a.announce_type', 'in', ['new', 'cross'])
    .where('p.withdrawn', '=', 0)
    .where('p.summary_status', 'in', ['success', 'fallback'])
    .orderBy('s.created_at', 'desc')
    .execute();
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.id))];
  const categories = await store.selectFrom('paper_categories').select(['paper_id', 'category']).where('paper_id', 'in', ids).orderBy('position').execute();
  const coded = new Set((await store.selectFrom('code_links').select('paper_id').where('paper_id', 'in', ids).execute()).map((r) => r.paper_id));
  const seen = new Set<string>();
  const candidates: SelectionCandidate[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue; // newest summary of the version only
    seen.add(row.id);
    candidates.push({
      id: row.id,
      primaryCategory: row.primary_category,
      categories: categories.filter((c) => c.paper_id === row.id).map((c) => c.category),
      tags: (JSON.parse(row.tags) as string[]).filter(isTag) as Tag[],
      abstract: row.abstract,
      comment: row.comment,
      hasCode: coded.has(row.id),
    });
  }
  return candidates;
}

/**
 * Recomputes the digest of every day in the history window. Deterministic: the same papers and
 * summaries give the same digest, so rerunning a pass never reshuffles what readers saw.
 */
export async function refreshDigests(store: Store, settings: DigestSettings): Promise<Map<string, number>> {
  const picked = new Map<string, number>();
  for (const day of await historyWindow(store, settings.historyDays)) {
    const selection = selectDigest(await candidatesOf(store, day), {
      size: settings.digestSize,
      followedCategories: settings.categories,
      maxTagShare: settings.maxTagShare ?? 0.4,
    });
    const now = new Date().toISOString();
    await store.transaction().execute(async (tx) => {
      await tx.deleteFrom('digest_entries').where('announced_on', '=', day).execute();
      if (selection.length > 0) {
        await tx
          .insertInto('digest_entries')
          .values(selection.map((s, rank) => ({ announced_on: day, rank, paper_id: s.id, why: s.why, method_version: SELECTION_METHOD, selected_at: now })))
          .execute();
      }
    });
    picked.set(day, selection.length);
  }
  return picked;
}
