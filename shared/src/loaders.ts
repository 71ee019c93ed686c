import DataLoader from "dataloader";

/**
 * A per-request loader of rows by a unique key. Batch functions must return one result per key in the
 * keys' order, so the rows are indexed by key first; a key with no row yields null.
 */
export function uniqueLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  }, { maxBatchSize: 1000 });
}

/** A per-request loader of all rows sharing a key (a person's marriages, a household's members). */
export function groupLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K | readonly K[],
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V[]>();
    for (const row of rows) {
      const rowKeys = keyOf(row);
      for (const key of (Array.isArray(rowKeys) ? rowKeys : [rowKeys]) as K[]) {
        const list = byKey.get(key);
        if (list) list.push(row);
        else byKey.set(key, [row]);
      }
    }
    return keys.map((key) => byKey.get(key) ?? []);
  }, { maxBatchSize: 1000 });
}
