import { Module } from '@nestjs/common';
import { JobsService } from './jobs.service';

/**
 * The durable background jobs. A feature imports this module, registers a handler per kind in its
 * onModuleInit (`jobs.register(kind, handler, retryPolicy)`, and `jobs.every(kind, ms)` for a periodic
 * one), and enqueues jobs inside the transaction of their cause:
 * `inTransaction(dataSource, (manager) => ... jobs.enqueue(kind, payload, { manager }))`. Work that is many small
 * items kept in a table of its own (webhook deliveries) registers a queue instead (`jobs.registerQueue`): the
 * poller drains it in batches, and `jobs.wake(name)` drains it at once.
 */
@Module({
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
