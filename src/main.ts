import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { configureApp } from './app.setup';
import { AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  // The config module validates the environment while the AppModule is loaded, before anything listens.
  const { AppModule } = await import('./app.module.js');
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  configureApp(app, config);
  await app.listen(config.port, '0.0.0.0');
  app.get(Logger).log(`TaskFlow listening on port ${config.port} (${config.environment})`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`TaskFlow did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
