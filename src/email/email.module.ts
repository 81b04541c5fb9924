import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobsModule } from '../jobs/jobs.module';
import { EmailOutbox } from './email-outbox.service';
import { Mailer } from './mailer.service';
import { NotificationEmail } from './notification-email.entity';
import { NotificationEmails } from './notification-emails.service';
import { OutboxEmail } from './outbox-email.entity';

/**
 * Outgoing email: the outbox features write to, its delivery over SMTP by background jobs, and the
 * notification emails (NotificationEmails.queue, for the notifications feature).
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEmail, NotificationEmail]), JobsModule],
  providers: [EmailOutbox, Mailer, NotificationEmails],
  exports: [EmailOutbox, NotificationEmails],
})
export class EmailModule {}
