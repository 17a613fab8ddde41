/** Small helpers over collections that several stages and read models use. */

/**
 * The rows by key (or what `value` takes from each), each group in the rows' order, the groups in the
 * order of their first row.
 */
export function groupBy<T, K>(rows: Iterable<T>, key: (row: T) => K): Map<K, T[]>;
export function groupBy<T, K, V>(rows: Iterable<T>, key: (row: T) => K, value: (row: T) => V): Map<K, V[]>;
export function groupBy<T, K, V>(rows: Iterable<T>, key: (row: T) => K, value?: (row: T) => V): Map<K, Array<T | V>> {
  const groups = new Map<K, Array<T | V>>();
  for (const row of rows) {
    const k = key(row);
    const item = value === undefined ? row : value(row);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The values without repeats, each at its first position. */
export function uniqueInOrder<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
