import pg from 'pg';

/**
 * A store's generation: a value that changes whenever a commit (by any process) may have changed what
 * the pages show, so a page built at one generation is current while the value is unchanged. The page
 * cache reads it on every request.
 */
export interface StoreGeneration {
  /** Rejects when the database cannot say (the caller then treats every page as out of date). */
  read(): Promise<string>;
  close(): Promise<void>;
}

/** SQLite: read straight from the connection (sqliteGeneration in db.ts). */
export function sqliteStoreGeneration(read: () => string | null): StoreGeneration {
  return {
    read: async () => {
      const value = read();
      if (value === null) throw new Error('this store has no SQLite connection');
      return value;
    },
    close: async () => {},
  };
}

/**
 * PostgreSQL: the counter migration 0010 keeps in `store_generation`, read on a connection of its
 * own, so a cache hit never waits for a pooled connection that a long search holds. Requests arriving
 * while a read is in flight share the next read (not the running one, which may have started before
 * their commit was visible): at most two reads per round trip, however many requests come.
 */
export function postgresStoreGeneration(url: string): StoreGeneration {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let running: Promise<string> | null = null;
  let queued: Promise<string> | null = null;
  let closed = false;

  const connection = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const fresh = new pg.Client({ connectionString: url });
      // A dropped connection is replaced on the next read; the error must not take the process down.
      fresh.on('error', () => {
        if (client === fresh) client = null;
      });
      try {
        await fresh.connect();
      } catch (error) {
        await fresh.end().catch(() => {});
        throw error;
      }
      if (closed) {
        await fresh.end().catch(() => {});
        throw new Error('the store is closed');
      }
      client = fresh;
      return fresh;
    })().finally(() => (connecting = null));
    return connecting;
  };

  const query = async (): Promise<string> => {
    if (closed) throw new Error('the store is closed');
    const conn = await connection();
    try {
      const result = await conn.query<{ value: string }>('SELECT value FROM store_generation WHERE id = 1');
      const value = result.rows[0]?.value;
      if (value === undefined) throw new Error('store_generation has no row (migration 0010 not applied?)');
      return String(value);
    } catch (error) {
      if (client === conn) client = null;
      await conn.end().catch(() => {});
      throw error;
    }
  };

  const read = (): Promise<string> => {
    if (!running) {
      running = query().finally(() => (running = null));
      return running;
    }
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = null;
        return read();
      });
    return queued;
  };

  return {
    read,
    close: async () => {
      closed = true;
      const open = client;
      client = null;
      await open?.end().catch(() => {});
    },
  };
}
