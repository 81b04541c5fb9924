import { DataSource, EntityManager } from 'typeorm';

// Any constant, the same for every instance; distinct from the migrations' lock.
const ADMINS_LOCK_KEY = 7_262_025;

/**
 * Runs a change that must see a stable set of admins (the first set-up, demoting or disabling an admin),
 * one at a time across instances. PostgreSQL: a transaction holding an advisory lock. SQLite has a
 * single writer, so there `work` must be one statement, which is atomic by itself.
 */
export async function withAdminsLock<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work(dataSource.manager);
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMINS_LOCK_KEY]);
    return work(manager);
  });
}
