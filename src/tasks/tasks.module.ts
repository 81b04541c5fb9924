import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ProjectsModule } from '../projects/projects.module';
import { TaskCount } from './task-count.entity';
import { TaskDueDay } from './task-due-day.entity';
import { TaskWriteHooks } from './task-write-hooks';
import { Task } from './task.entity';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({
  imports: [TypeOrmModule.forFeature([Task, TaskCount, TaskDueDay]), IdempotencyModule, HistoryModule, ProjectsModule],
  controllers: [TasksController],
  providers: [TasksService, TaskWriteHooks],
  exports: [TasksService, TaskWriteHooks],
})
export class TasksModule {}
