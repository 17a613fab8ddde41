import type { Db } from './db.ts';
import type { AnnouncementDaysTable } from './schema.ts';

export type DayKind = AnnouncementDaysTable['kind'];

/**
 * Records what arXiv listed on a day for each category, and how many of those papers the store holds
 * (counted from the store itself, so the figure is true even after a partial or resumed run).
 */
export async function recordAnnouncementDay(
  store: Db,
  day: string,
  kind: DayKind,
  listedByCategory: Map<string, number>,
  listedTotal: number,
): Promise<void> {
  const now = new Date().toISOString();
  const followed = [...listedByCategory.keys()];
  // '*' is the day as a whole: distinct papers over all followed categories.
  const rows: Array<[string, number, string[]]> = [['*', listedTotal, followed], ...[...listedByCategory].map(([c, n]): [string, number, string[]] => [c, n, [c]])];
  for (const [category, listed, counted] of rows) {
    if (counted.length === 0) continue;
    const stored = await store
      .selectFrom('announcements as a')
      .innerJoin('paper_categories as c', 'c.paper_id', 'a.paper_id')
      .select((eb) => eb.fn.count<number>('a.paper_id').distinct().as('n'))
      .where('a.announced_on', '=', day)
      .where('c.category', 'in', counted)
      .executeTakeFirstOrThrow();
    const row = { announced_on: day, category, kind, listed, stored: Number(stored.n), checked_at: now };
    await store
      .insertInto('announcement_days')
      .values(row)
      .onConflict((oc) => oc.columns(['announced_on', 'category']).doUpdateSet({ kind, listed, stored: row.stored, checked_at: now }))
      .execute();
  }
}

export interface DayStatus {
  day: string;
  kind: DayKind;
  /** Distinct papers listed over the followed categories (a cross-listed paper counts once). */
  listed: number;
  stored: number;
  checkedAt: string;
  byCategory: Array<{ category: string; listed: number; stored: number }>;
}

export async function getDayStatus(store: Db, day: string): Promise<DayStatus | null> {
  const rows = await store.selectFrom('announcement_days').selectAll().where('announced_on', '=', day).orderBy('category').execute();
  const first = rows.find((r) => r.category === '*');
  if (!first) return null;
  return {
    day,
    kind: first.kind,
    listed: first.listed,
    stored: first.stored,
    checkedAt: first.checked_at,
    byCategory: rows.filter((r) => r.category !== '*').map((r) => ({ category: r.category, listed: r.listed, stored: r.stored })),
  };
}
