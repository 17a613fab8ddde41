/**
 * PostgreSQL twin of ../0008-mark-author-changes-in-ingest.ts: the SQLite migration dropped per-row
 * author triggers that the PostgreSQL schema never had. Kept so both dialects list the same migrations.
 */
export async function up(): Promise<void> {}
