import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppController } from './app.controller';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { CommentsModule } from './comments/comments.module';
import { HealthModule } from './health/health.module';
import { HistoryModule } from './history/history.module';
import { JobsModule } from './jobs/jobs.module';
import { LabelsModule } from './labels/labels.module';
import { ProjectsModule } from './projects/projects.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservabilityModule } from './observability/observability.module';
import { createAppLogger, loggerModuleParams } from './http/request-logger';
import { TasksModule } from './tasks/tasks.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => loggerModuleParams(createAppLogger(config.logLevel)) }),
    DatabaseModule,
    AuthModule,
    // Before TasksModule: its static routes (/tasks/changes, /tasks/events) must come before /tasks/:id.
    HistoryModule,
    TasksModule,
    ProjectsModule,
    LabelsModule,
    CommentsModule,
    NotificationsModule,
    HealthModule,
    MetricsModule,
    JobsModule,
    WebhooksModule,
  ],
  controllers: [AppController],
})
export class AppModule {}
