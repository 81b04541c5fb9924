import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProjectsModule } from '../projects/projects.module';
import { TasksModule } from '../tasks/tasks.module';
import { User } from '../users/user.entity';
import { Comment } from './comment.entity';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

/** Comments on tasks, with @-mentions; each write is logged in the change log and notifies watchers. */
@Module({
  imports: [TypeOrmModule.forFeature([Comment, User]), TasksModule, ProjectsModule, NotificationsModule, HistoryModule],
  controllers: [CommentsController],
  providers: [CommentsService],
})
export class CommentsModule {}
