import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import type { FeedbackSignal, FollowKind, ReaderTokenKind } from '../schema.ts';

export type { FeedbackSignal, FollowKind, ReaderTokenKind };

export interface Reader {
  id: string;
  email: string;
  createdAt: string;
}

export interface NewLibraryItem {
  itemId: string;
  paperId: string | null;
  title: string;
  abstract: string | null;
  year: number | null;
  /** ISO time; now when absent. */
  addedAt?: string;
  source: string;
}

export interface LibraryItem extends Required<NewLibraryItem> {}

export interface Feedback {
  paperId: string;
  signal: FeedbackSignal;
  at: string;
}

export interface Follow {
  kind: FollowKind;
  /** An author's profile id (as text), a topic, a category, or a keyword rule. */
  value: string;
  /** A followed author's name (absent for other kinds, or an author no longer stored). */
  name?: string;
}

/** The owner mode's one reader. */
export const OWNER_READER_ID = 'owner';

const toReader = (row: { id: string; email: string; created_at: string }): Reader => ({ id: row.id, email: row.email, createdAt: row.created_at });

/**
 * Readers and everything that is theirs. Every read and write of a reader's data takes the reader's
 * id and filters by it, so no route can reach another reader's rows by naming them (IDOR tests in
 * test/web/readers-*.test.ts). Tokens arrive hashed (src/domain/secrets.ts): no secret is stored.
 */
export class ReadersRepository {
  constructor(private readonly db: Db) {}

  /** The reader with this email, created when there is none (emails compare case-insensitively). */
  async ensure(email: string, id: string = randomUUID()): Promise<{ reader: Reader; created: boolean }> {
    const normalized = email.trim().toLowerCase();
    const inserted = await this.db
      .insertInto('readers')
      .values({ id, email: normalized, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { reader: toReader(inserted), created: true };
    const existing = await this.db.selectFrom('readers').selectAll().where('email', '=', normalized).executeTakeFirstOrThrow();
    return { reader: toReader(existing), created: false };
  }

  /** The owner mode's reader, created on first use; the same row for every process. */
  async ensureOwner(): Promise<Reader> {
    const existing = await this.find(OWNER_READER_ID);
    if (existing) return existing;
    return (await this.ensure('owner@localhost', OWNER_READER_ID)).reader;
  }

  /** By id or by email. */
  async find(idOrEmail: string): Promise<Reader | null> {
    const key = idOrEmail.trim();
    const row = await this.db
      .selectFrom('readers')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', key), eb('email', '=', key.toLowerCase())]))
      .executeTakeFirst();
    return row ? toReader(row) : null;
  }

  async list(): Promise<Reader[]> {
    return (await this.db.selectFrom('readers').selectAll().orderBy('created_at').orderBy('id').execute()).map(toReader);
  }

  async storeToken(readerId: string, kind: ReaderTokenKind, tokenHash: string, expiresAt: string | null = null): Promise<void> {
    await this.db
      .insertInto('reader_tokens')
      .values({ token_hash: tokenHash, reader_id: readerId, kind, created_at: new Date().toISOString(), expires_at: expiresAt, used_at: null, revoked_at: null })
      .execute();
  }

  /** The reader a live token of `kind` belongs to: not revoked, not expired, and (sign-in links) not used. */
  async readerByToken(tokenHash: string, kind: ReaderTokenKind, now: Date = new Date()): Promise<Reader | null> {
    const row = await this.db
      .selectFrom('reader_tokens as t')
      .innerJoin('readers as r', 'r.id', 't.reader_id')
      .select(['r.id', 'r.email', 'r.created_at'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.kind', '=', kind)
      .where('t.revoked_at', 'is', null)
      .where('t.used_at', 'is', null)
      .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now.toISOString())]))
      .executeTakeFirst();
    return row ? toReader(row) : null;
  }

  /**
   * Uses a sign-in link: one conditional UPDATE, so of two requests racing with the same link (two
   * processes, a double click) exactly one gets the reader.
   */
  async consumeSignIn(tokenHash: string, now: Date = new Date()): Promise<Reader | null> {
    const used = await this.db
      .updateTable('reader_tokens')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('kind', '=', 'sign-in')
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returning('reader_id')
      .executeTakeFirst();
    return used ? this.find(used.reader_id) : null;
  }

  /** Revokes the reader's live tokens of these kinds; returns how many. */
  async revokeTokens(readerId: string, kinds: readonly ReaderTokenKind[]): Promise<number> {
    const result = await this.db
      .updateTable('reader_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('reader_id', '=', readerId)
      .where('kind', 'in', [...kinds])
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Revokes one token (a session at sign-out) whoever holds it; only its hash identifies it. */
  async revokeToken(tokenHash: string): Promise<void> {
    await this.db.updateTable('reader_tokens').set({ revoked_at: new Date().toISOString() }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).execute();
  }

  /** Tokens of `kind` issued to the reader since `since` (sign-in requests per address, for the rate limit). */
  async tokensIssuedSince(readerId: string, kind: ReaderTokenKind, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('reader_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('reader_id', '=', readerId)
      .where('kind', '=', kind)
      .where('created_at', '>=', since.toISOString())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Adds items (an item already there keeps its first addition); returns how many were new. */
  async addToLibrary(readerId: string, items: readonly NewLibraryItem[]): Promise<number> {
    if (items.length === 0) return 0;
    const now = new Date().toISOString();
    let added = 0;
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let i = 0; i < items.length; i += 500) {
      const rows = items.slice(i, i + 500).map((item) => ({
        reader_id: readerId,
        item_id: item.itemId,
        paper_id: item.paperId,
        title: item.title,
        abstract: item.abstract,
        year: item.year,
        added_at: item.addedAt ?? now,
        source: item.source,
      }));
      const result = await this.db
        .insertInto('reader_library')
        .values(rows)
        .onConflict((oc) => oc.columns(['reader_id', 'item_id']).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  }

  async removeFromLibrary(readerId: string, itemIds: readonly string[]): Promise<number> {
    if (itemIds.length === 0) return 0;
    const result = await this.db.deleteFrom('reader_library').where('reader_id', '=', readerId).where('item_id', 'in', [...itemIds]).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The reader's library, most recently added first. */
  async library(readerId: string): Promise<LibraryItem[]> {
    const rows = await this.db.selectFrom('reader_library').selectAll().where('reader_id', '=', readerId).orderBy('added_at', 'desc').orderBy('item_id').execute();
    return rows.map((r) => ({ itemId: r.item_id, paperId: r.paper_id, title: r.title, abstract: r.abstract, year: r.year, addedAt: r.added_at, source: r.source }));
  }

  /** The reader's latest signal on a paper replaces an earlier one. */
  async setFeedback(readerId: string, paperId: string, signal: FeedbackSignal, at: Date = new Date()): Promise<void> {
    await this.db
      .insertInto('reader_feedback')
      .values({ reader_id: readerId, paper_id: paperId, signal, at: at.toISOString() })
      .onConflict((oc) => oc.columns(['reader_id', 'paper_id']).doUpdateSet({ signal, at: at.toISOString() }))
      .execute();
  }

  async feedback(readerId: string): Promise<Feedback[]> {
    const rows = await this.db.selectFrom('reader_feedback').selectAll().where('reader_id', '=', readerId).orderBy('at', 'desc').orderBy('paper_id').execute();
    return rows.map((r) => ({ paperId: r.paper_id, signal: r.signal, at: r.at }));
  }

  async follow(readerId: string, follows: readonly Follow[]): Promise<void> {
    if (follows.length === 0) return;
    const now = new Date().toISOString();
    await this.db
      .insertInto('reader_follows')
      .values(follows.map((f) => ({ reader_id: readerId, kind: f.kind, value: f.value, created_at: now })))
      .onConflict((oc) => oc.columns(['reader_id', 'kind', 'value']).doNothing())
      .execute();
  }

  async unfollow(readerId: string, follows: readonly Follow[]): Promise<void> {
    for (const f of follows) {
      await this.db.deleteFrom('reader_follows').where('reader_id', '=', readerId).where('kind', '=', f.kind).where('value', '=', f.value).execute();
    }
  }

  async follows(readerId: string): Promise<Follow[]> {
    const rows = await this.db
      .selectFrom('reader_follows as f')
      // Author follows name a profile id; the join gives its name (the cast keeps both dialects comparing text).
      .leftJoin('authors as a', (join) => join.on('f.kind', '=', 'author').on((eb) => eb(eb.cast('a.id', 'text'), '=', eb.ref('f.value'))))
      .select(['f.kind', 'f.value', 'a.name'])
      .where('f.reader_id', '=', readerId)
      .orderBy('f.kind')
      .orderBy('f.value')
      .execute();
    return rows.map((r) => ({ kind: r.kind, value: r.value, ...(r.name === null ? {} : { name: r.name }) }));
  }
}
