import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { AppConfig, loadConfig } from '../src/config/app-config';

export type E2eDatabase = 'sqlite' | 'postgres';

/**
 * Which database this run of the e2e suite uses: `npm test` runs it once per database through
 * E2E_DATABASE; run alone, it uses PostgreSQL when TEST_DATABASE_URL is set and SQLite otherwise.
 */
export function e2eDatabase(): E2eDatabase {
  const chosen = process.env.E2E_DATABASE;
  if (chosen === 'sqlite' || chosen === 'postgres') return chosen;
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
}

export function e2eDatabaseUrl(): string {
  if (e2eDatabase() === 'sqlite') return 'sqlite::memory:';
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE=postgres needs TEST_DATABASE_URL');
  return url;
}

export interface TestAppOptions {
  databaseUrl?: string;
  corsOrigins?: string[];
}

/** The real AppModule, configured exactly as main.ts configures it, on the e2e database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<NestExpressApplication> {
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test' }),
    databaseUrl: options.databaseUrl ?? e2eDatabaseUrl(),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configureApp(app, config);
  await app.init();
  return app;
}

/** Each test starts from an empty table. */
export async function clearTasks(app: NestExpressApplication): Promise<void> {
  await app.get(DataSource).query('DELETE FROM tasks');
}

/**
 * Registers the usual hooks of an e2e file: one app for the whole file, closed at the end, and an
 * empty table before each test. Returns a getter, since the app exists only once the hooks have run.
 */
export function useTestApp(options: TestAppOptions = {}): () => NestExpressApplication {
  let app: NestExpressApplication | undefined;
  beforeAll(async () => {
    app = await createTestApp(options);
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await clearTasks(current());
  });
  const current = () => {
    if (!app) throw new Error('the test app is not started yet: call it inside a test or hook');
    return app;
  };
  return current;
}
