import type { Db } from '../db.ts';

/** What one announcement day's pages list: its digest, how many papers arXiv announced, and all of them with their scores. */
export class DayListsRepository {
  constructor(protected readonly db: Db) {}

  /** The day's digest, best first: each paper's id and why it was selected. */
  digestEntries(day: string) {
    return this.db.selectFrom('digest_entries').select(['paper_id', 'why']).where('announced_on', '=', day).orderBy('rank').execute();
  }

  /** Papers announced on `day` in `categories`: new submissions and cross-lists, each once. */
  async announcedCount(day: string, categories: string[]): Promise<number> {
    const row = await this.db
      .selectFrom('announcements as a')
      .select((eb) => eb.fn.count<number>('a.paper_id').distinct().as('n'))
      .where('a.announced_on', '=', day)
      .where('a.announce_type', 'in', ['new', 'cross'])
      .where((eb) =>
        eb.exists(eb.selectFrom('paper_categories as c').select('c.paper_id').whereRef('c.paper_id', '=', 'a.paper_id').where('c.category', 'in', categories)),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Every paper announced on `day` in `categories`, with its digest rank (0-based, null when not
   * selected) and its `methodVersion` scores of the shown version (null until scored).
   */
  papersOf(day: string, categories: string[], methodVersion: string) {
    // Scores joined by their key rather than loaded by a list of ids: a backfilled day holds tens of
    // thousands of papers, past SQLite's limit of bound parameters.
    return this.db
      .selectFrom('announcements as a')
      .innerJoin('papers as p', 'p.id', 'a.paper_id')
      .leftJoin('digest_entries as d', (join) => join.onRef('d.paper_id', '=', 'p.id').onRef('d.announced_on', '=', 'a.announced_on'))
      .leftJoin('scores as s', (join) => join.onRef('s.paper_id', '=', 'p.id').onRef('s.version', '=', 'p.latest_version').on('s.method_version', '=', methodVersion))
      .select(['p.id', 'p.latest_version', 'p.title', 'p.primary_category', 'a.announce_type', 'd.rank', 's.novelty', 's.ai_score'])
      .where('a.announced_on', '=', day)
      .where((eb) => eb.exists(eb.selectFrom('paper_categories as c').select('c.paper_id').whereRef('c.paper_id', '=', 'p.id').where('c.category', 'in', categories)))
      .execute();
  }
}
