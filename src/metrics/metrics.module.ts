import { Global, Module } from '@nestjs/common';
import { AuthMetrics } from './auth-metrics.service';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** GET /metrics and the services that feed it; global so the accounts code can inject AuthMetrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, AuthMetrics],
  exports: [MetricsService, AuthMetrics],
})
export class MetricsModule {}
