import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module';
import { JobsModule } from '../jobs/jobs.module';
import { TasksModule } from '../tasks/tasks.module';
import { DueSoonJob } from './due-soon.job';
import { NotificationFeed } from './notification-feed.service';
import { Notification } from './notification.entity';
import { NotificationsController, WatchersController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { TaskWatcher } from './task-watcher.entity';

/** Watchers and notifications: written with their causes (task writes through TaskWriteHooks, comments), delivered live. */
@Module({
  imports: [TypeOrmModule.forFeature([Notification, TaskWatcher]), TasksModule, HistoryModule, JobsModule],
  controllers: [NotificationsController, WatchersController],
  providers: [NotificationsService, NotificationFeed, DueSoonJob],
  exports: [NotificationsService],
})
export class NotificationsModule {}
