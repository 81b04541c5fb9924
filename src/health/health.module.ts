import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TasksModule } from '../tasks/tasks.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [TerminusModule, TasksModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
