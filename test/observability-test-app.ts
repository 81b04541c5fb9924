import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { Writable } from 'node:stream';
import { AppModule } from '../src/app.module';
import { configureApp, NEST_APPLICATION_OPTIONS } from '../src/app.setup';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { createAppLogger, loggerModuleParams } from '../src/http/request-logger';
import { conformanceRecorder } from './openapi-conformance';
import { e2eDatabaseUrl } from './create-test-app';

export interface ObservedAppOptions {
  /** Settings on top of the test defaults (NODE_ENV=test, AUTH_MODE=off, the e2e database). */
  config?: Partial<AppConfig>;
  /** Receives the app's JSON log lines (at info level) instead of stdout. */
  logLines?: string[];
  /** Runs before configureApp(), e.g. to add a middleware in front of the app's own. */
  beforeConfigure?: (app: NestExpressApplication) => void;
}

/** The real AppModule, configured as main.ts does, with the observability settings a test needs. */
export async function createObservedApp(options: ObservedAppOptions = {}): Promise<NestExpressApplication> {
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'off' }),
    databaseUrl: e2eDatabaseUrl(),
    ...options.config,
  };
  let builder = Test.createTestingModule({ imports: [AppModule] }).overrideProvider(AppConfig).useValue(config);
  const { logLines } = options;
  if (logLines) {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    builder = builder.overrideProvider(PARAMS_PROVIDER_TOKEN).useValue(loggerModuleParams(createAppLogger('info', stream)));
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ ...NEST_APPLICATION_OPTIONS, logger: false, bufferLogs: true });
  // As in main.ts: Nest's own log lines (the 500s' stack traces) go through the request-aware pino logger.
  if (logLines) app.useLogger(app.get(Logger));
  options.beforeConfigure?.(app);
  app.use(conformanceRecorder(app));
  configureApp(app, config);
  await app.init();
  return app;
}
