import type { Database } from 'better-sqlite3';
import { CannotExecuteNotConnectedError, DataSource } from 'typeorm';

/**
 * The one better-sqlite3 connection under TypeORM's SQLite data source, for the synchronous writes
 * (task-writes.ts, atomic-write.ts). TypeORM 1.x keeps it in the driver's `databaseConnection`, which it
 * does not document; checked against typeorm 1.1.
 */
export function sqliteConnection(dataSource: DataSource): Database {
  // The same error TypeORM raises for a closed data source, which the error filter answers with 503.
  if (!dataSource.isInitialized) throw new CannotExecuteNotConnectedError();
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}
