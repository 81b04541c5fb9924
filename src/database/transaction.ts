import { DataSource, EntityManager } from 'typeorm';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one transaction, on either database. PostgreSQL: a transaction on a connection of its
 * own. SQLite: the app has one connection, and TypeORM cannot open a second transaction on it while one
 * is open ("cannot start a transaction within a transaction"), so these transactions take turns. Keep
 * `work` to a few short statements: single statements of other requests may run while it is open.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'postgres') return dataSource.transaction(work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(
    () => dataSource.transaction(work),
    () => dataSource.transaction(work),
  );
  sqliteQueues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}
