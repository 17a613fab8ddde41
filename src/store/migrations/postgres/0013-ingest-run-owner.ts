/** PostgreSQL twin of ../0013-ingest-run-owner.ts: the statements are the same in both dialects. */
export { up } from '../0013-ingest-run-owner.ts';
