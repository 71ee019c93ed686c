import type { DataSource } from "typeorm";

/**
 * typeorm's SQLite drivers keep one connection and one query runner for the whole database, so two
 * `dataSource.transaction()` calls in flight at once (a write and another request's access-log flush, say)
 * share it: the second BEGIN fails ("cannot start a transaction within a transaction"), or its statements
 * land in the first transaction and commit or roll back with it. Root-level transactions therefore take
 * turns. A transaction's own manager (savepoints for nested transactions) is not affected; a callback must
 * not start another root-level transaction on the same database, which would wait for itself.
 * MySQL needs none of this: each transaction has its own pooled connection.
 */
export function serializeTransactions(dataSource: DataSource): void {
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  (manager as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    const result = tail.then(() => transaction(...args));
    tail = result.catch(() => undefined);
    return result;
  };
}
