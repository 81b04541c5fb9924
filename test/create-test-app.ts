import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { CredentialsService } from '../src/auth/credentials.service';
import { configureApp, NEST_APPLICATION_OPTIONS } from '../src/app.setup';
import type { LoadShedderOptions } from '../src/server/load-shedder';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { conformanceRecorder } from './openapi-conformance';

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
  /** Any other setting; AUTH_MODE is `off` unless given here, since most suites test the v1 contract. */
  config?: Partial<AppConfig>;
  /** The load shedder main.ts puts in front of the routes; off in tests unless given. */
  loadShedding?: LoadShedderOptions;
}

/** The real AppModule, configured exactly as main.ts configures it, on the e2e database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<NestExpressApplication> {
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test' }),
    databaseUrl: options.databaseUrl ?? e2eDatabaseUrl(),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    authMode: 'off',
    ...options.config,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  // E2E_LOG=1 shows the app's log (a 500's stack, say) while debugging a suite.
  const app = moduleRef.createNestApplication<NestExpressApplication>({ ...NEST_APPLICATION_OPTIONS, logger: process.env.E2E_LOG ? ['error', 'warn'] : false });
  // Before everything configureApp adds: every answer, refusals included, is checked against the document.
  app.use(conformanceRecorder(app));
  configureApp(app, config, { loadShedding: options.loadShedding });
  await app.init();
  return app;
}

/** Each test starts from an empty table. */
export async function clearTasks(app: NestExpressApplication): Promise<void> {
  await app.get(DataSource).query('DELETE FROM tasks');
}

const ACCOUNT_TABLES = ['task_changes', 'stream_tickets', 'retired_session_tokens', 'sessions', 'api_tokens', 'invitations', 'sign_in_counters', 'users'];

/**
 * Background work one suite leaves behind (a webhook's pending deliveries and their jobs) must not run into the
 * next test. Periodic jobs stay: the job service remembers which slots it created.
 */
const BACKGROUND_WORK = ['DELETE FROM webhook_deliveries', 'DELETE FROM webhook_payloads', 'DELETE FROM webhooks', "DELETE FROM jobs WHERE kind = 'webhook.deliver'"];

const PROJECT_TABLES = ['comments', 'task_watchers', 'notifications', 'task_keys', 'task_labels', 'task_label_counts', 'task_assignee_counts', 'labels', 'projects'];

/** Back to the one project a new database has: the default `TF` "General", numbering from 1. */
async function resetProjects(dataSource: DataSource): Promise<void> {
  for (const table of PROJECT_TABLES) await dataSource.query(`DELETE FROM ${table}`);
  const isPostgres = dataSource.options.type === 'postgres';
  const now = isPostgres ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', '');
  await dataSource.query(
    isPostgres
      ? 'INSERT INTO projects (id, key, name, is_default, created_at, updated_at) VALUES ($1, $2, $3, TRUE, $4, $4)'
      : 'INSERT INTO projects (id, key, name, is_default, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
    isPostgres ? [randomUUID(), 'TF', 'General', now] : [randomUUID(), 'TF', 'General', now, now],
  );
}

/** Empties tasks, their change log, projects and labels and every accounts table, and forgets the credential checks cached in memory. */
export async function clearAll(app: NestExpressApplication): Promise<void> {
  await clearTasks(app);
  const dataSource = app.get(DataSource);
  await resetProjects(dataSource);
  for (const statement of BACKGROUND_WORK) await dataSource.query(statement);
  for (const table of ACCOUNT_TABLES) await dataSource.query(`DELETE FROM ${table}`);
  await dataSource.query('UPDATE change_log_state SET pruned_through = 0');
  app.get(CredentialsService).forgetCachedChecks();
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
    await clearAll(current());
  });
  const current = () => {
    if (!app) throw new Error('the test app is not started yet: call it inside a test or hook');
    return app;
  };
  return current;
}

/** A database of its own for this file: a new SQLite file, or a new PostgreSQL database on the test server. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (e2eDatabase() === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'taskflow-e2e-'));
    return { url: `sqlite:///${join(folder, 'taskflow.db')}`, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const serverUrl = new URL(e2eDatabaseUrl());
  const name = `taskflow_e2e_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
