import { DataSource } from 'typeorm';

// Any constant works; it only has to be the same for every instance of TaskFlow on one database.
const MIGRATION_LOCK_KEY = 7_262_024;

/**
 * Runs pending migrations in one transaction. On PostgreSQL an advisory lock makes a second instance
 * starting at the same time (a redeploy overlapping the old one) wait, then find nothing left to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockHolder.release();
  }
}
