import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { flushErrorReports, initErrorTracking } from './error-tracking';

/** Starts error tracking with the app (when SENTRY_DSN is set) and sends what is queued when it stops. */
@Global()
@Module({})
export class ObservabilityModule implements OnApplicationShutdown {
  constructor(config: AppConfig) {
    initErrorTracking(config);
  }

  async onApplicationShutdown(): Promise<void> {
    await flushErrorReports();
  }
}
