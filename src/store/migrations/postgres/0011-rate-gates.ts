/** PostgreSQL twin of ../0011-rate-gates.ts: the statements are the same in both dialects. */
export { up } from '../0011-rate-gates.ts';
