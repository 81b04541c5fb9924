import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source.options';
import { runMigrationsExclusively } from './run-migrations';

/** `npm run migration:run`: the same locked migration step the app runs at start-up. */
async function migrate(): Promise<void> {
  const dataSource = await new DataSource(buildDataSourceOptions(loadConfig().databaseUrl)).initialize();
  try {
    await runMigrationsExclusively(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
