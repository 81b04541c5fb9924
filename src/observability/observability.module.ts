import { Global, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { flushErrorReports, initErrorTracking } from './error-tracking';

/** Starts error tracking with the app (when SENTRY_DSN is set) and sends what is queued when it stops. */
@Global()
@Module({})
export class ObservabilityModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await initErrorTracking(this.config);
  }

  async onApplicationShutdown(): Promise<void> {
    await flushErrorReports();
  }
}
