import type { Db } from '../db.ts';

export class PapersRepository {
  constructor(protected readonly db: Db) {}

  /** Papers stored, all of them. */
  async count(): Promise<number> {
    const row = await this.db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('papers').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }
}
