import { inJsonList } from './bulk-rows.ts';
import type { Db as Store } from './db.ts';

export interface PaperTraits {
  /** Number of authors of the paper's latest version. */
  authorCount: number;
  /** arXiv categories, primary first (arXiv's order). */
  categories: string[];
}

/**
 * What the selection model needs of each paper beyond its text: its number of authors and its
 * categories in order. Two set-based reads, whatever the number of papers.
 */
export async function paperTraits(store: Store, ids: readonly string[]): Promise<Map<string, PaperTraits>> {
  const out = new Map<string, PaperTraits>(ids.map((id) => [id, { authorCount: 0, categories: [] }]));
  if (ids.length === 0) return out;
  const [authors, categories] = await Promise.all([
    store
      .selectFrom('paper_authors')
      .select(['paper_id', (eb) => eb.fn.countAll<number>().as('authors')])
      .where(inJsonList(store, 'paper_id', [...ids]))
      .groupBy('paper_id')
      .execute(),
    store
      .selectFrom('paper_categories')
      .select(['paper_id', 'category'])
      .where(inJsonList(store, 'paper_id', [...ids]))
      .orderBy('paper_id')
      .orderBy('position')
      .execute(),
  ]);
  for (const row of authors) out.get(row.paper_id)!.authorCount = Number(row.authors);
  for (const row of categories) out.get(row.paper_id)!.categories.push(row.category);
  return out;
}
