import type { Db } from '../db.ts';

export class SummariesRepository {
  constructor(protected readonly db: Db) {}

  /** Makes the paper due for the summary engine again; its stored summary is replaced, not duplicated. */
  async markPending(paperId: string): Promise<void> {
    await this.db.updateTable('papers').set({ summary_status: 'pending', summary_error: null }).where('id', '=', paperId).execute();
  }
}
