/** PostgreSQL twin of ../0009-summary-claims.ts: the statement is the same in both dialects. */
export { up } from '../0009-summary-claims.ts';
