import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '../jobs/jobs.module';
import { EmailOutbox } from './email-outbox.service';
import { Mailer } from './mailer.service';
import { OutboxEmail } from './outbox-email.entity';

/** Outgoing email: the outbox features write to, and its delivery over SMTP by background jobs. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEmail]), JobsModule],
  providers: [EmailOutbox, Mailer],
  exports: [EmailOutbox],
})
export class EmailModule {}
