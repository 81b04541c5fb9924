import { Module } from '@nestjs/common';
import { JobsService } from './jobs.service';

/**
 * The durable background jobs. A feature imports this module, registers a handler per kind in its
 * onModuleInit (`jobs.register(kind, handler, retryPolicy)`, and `jobs.every(kind, ms)` for a periodic
 * one), and enqueues jobs inside the transaction of their cause:
 * `inTransaction(dataSource, (manager) => ... jobs.enqueue(kind, payload, { manager }))`.
 */
@Module({
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
