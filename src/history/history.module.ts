import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { ProjectsModule } from '../projects/projects.module';
import { Task } from '../tasks/task.entity';
import { ChangeFeed } from './change-feed.service';
import { ChangeLogState } from './change-log-state.entity';
import { ChangeLogService } from './change-log.service';
import { EventStreams } from './event-streams.service';
import { HistoryController } from './history.controller';
import { StreamTicket } from './stream-ticket.entity';
import { StreamTicketsService } from './stream-tickets.service';
import { TaskChange } from './task-change.entity';

/**
 * The change log of tasks (written by TasksService in the same transaction as each write), and what
 * reads it: GET /tasks/{id}/history, GET /tasks/changes and the live stream GET /tasks/events.
 */
@Module({
  imports: [AuthModule, ProjectsModule, TypeOrmModule.forFeature([TaskChange, ChangeLogState, StreamTicket, Task])],
  controllers: [HistoryController],
  providers: [ChangeLogService, ChangeFeed, EventStreams, StreamTicketsService],
  exports: [ChangeLogService, ChangeFeed, EventStreams],
})
export class HistoryModule {}
