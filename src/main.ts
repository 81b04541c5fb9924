// First: every module loaded after this one goes through Node's compile cache.
import { saveCompileCache } from './server/compile-cache';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { configureApp, NEST_APPLICATION_OPTIONS } from './app.setup';
import { AppConfig } from './config/app-config';
import { reportStartupFailure } from './observability/error-tracking';
import { EventStreams } from './history/event-streams.service';
import { GracefulShutdown } from './server/graceful-shutdown';
import { LOAD_SHEDDING } from './server/load-shedder';
import { applyServerLimits, openListeners } from './server/server-limits';

async function bootstrap(): Promise<void> {
  // The config module validates the environment while the AppModule is loaded, before anything listens.
  const { AppModule } = await import('./app.module.js');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    ...NEST_APPLICATION_OPTIONS,
    bufferLogs: true,
    // A bad setting or an unreachable database is reported below in one line instead of Nest's abort.
    abortOnError: false,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  const config = app.get(AppConfig);
  configureApp(app, config, { loadShedding: LOAD_SHEDDING });
  await app.init();
  const server = app.getHttpServer() as Server;
  applyServerLimits(server);
  const shutdown = new GracefulShutdown(server);
  shutdown.listensOn(await openListeners(server, config.port));
  logger.log(`TaskFlow listening on port ${config.port} (${config.environment})`);
  saveCompileCache();

  // On SIGTERM (a Render redeploy) or Ctrl-C: stop accepting connections, let the requests in flight
  // finish, close the database pool, then exit 0. Nest's own shutdown hooks would re-raise the signal.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: finishing the requests in flight, then stopping`);
      // Event streams never finish by themselves: end them first (clients reconnect and catch up elsewhere).
      app.get(EventStreams).closeAll();
      shutdown
        .drain()
        .then(({ cutConnections }) => {
          if (cutConnections) logger.warn('Shutdown: requests still running after the grace period were cut off');
          return app.close();
        })
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
          },
        );
    });
  }
}

bootstrap().catch(async (error: unknown) => {
  process.stderr.write(`TaskFlow did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  // A failed migration or an unreachable database is a server fault too: report it (when SENTRY_DSN is set).
  await reportStartupFailure(error);
  process.exit(1);
});
