import { Module } from '@nestjs/common';
import { JobsService } from './jobs.service';

/**
 * The durable background jobs. A feature imports this module, registers a handler per kind in its
 * onModuleInit, and enqueues jobs inside the transaction of their cause.
 */
@Module({
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
