/** PostgreSQL twin of ../0014-readers.ts: the statements are the same in both dialects. */
export { up } from '../0014-readers.ts';
