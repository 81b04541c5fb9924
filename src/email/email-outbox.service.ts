import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { RowsToInsert } from '../database/atomic-write';
import { JobsService, RunningJob } from '../jobs/jobs.service';
import { exponentialBackoff } from '../jobs/retry-policy';
import { emailKey } from '../users/user.entity';
import { Locale } from '../users/user-preferences';
import { EmailKind, EmailParams, renderEmail } from './email-templates';
import { Mailer } from './mailer.service';
import { NotificationEmail } from './notification-email.entity';
import { OutboxEmail } from './outbox-email.entity';

export const SEND_EMAIL_JOB = 'email.send';
const PRUNE_EMAILS_JOB = 'email.prune';
/** Sent and failed emails (their bodies already emptied) are kept this long: the hourly reset limit reads them. */
const EMAIL_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** Delivery is retried this long while the SMTP server refuses or is down (docs/API.md, Email). */
export const EMAIL_DELIVERY_WINDOW_MS = 24 * 60 * 60_000;
/** Waits of 1 s, 2 s, 4 s... between deliveries, at most 5 minutes: a short outage delays mail little. */
export const EMAIL_RETRY = { delayMs: exponentialBackoff(1_000, 5 * 60_000), giveUpAfterMs: EMAIL_DELIVERY_WINDOW_MS };

/** The longest the poller stops sending while the SMTP server cannot be reached (see pauseWhileUnreachable). */
const UNREACHABLE_PAUSE_MAX_MS = 5_000;

/**
 * True when the SMTP server could not be reached or the connection broke (Nodemailer's `ESOCKET`, `ECONNECTION`,
 * `ETIMEDOUT`, `EDNS`), rather than the server refusing this one message: then every other email would fail too.
 */
export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS'].includes(code);
}

export interface EmailToWrite<K extends EmailKind> {
  kind: K;
  to: string;
  locale: Locale;
  params: EmailParams[K];
}

/**
 * The durable outbox: an email is a row written in its cause's transaction, with the job that sends it.
 * The job retries while the SMTP server refuses or is down, for 24 hours; a message that finally fails
 * is logged at error level and reported (by the jobs mechanism) and marked `failed`, never dropped silently.
 */
@Injectable()
export class EmailOutbox implements OnModuleInit {
  private readonly logger = new Logger('Email');
  /** The poller's current pause while the SMTP server cannot be reached, and its end (epoch ms). */
  private unreachablePauseMs = 0;
  private pausedUntil = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly mailer: Mailer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** True when SMTP_URL is set: emails are written and sent. */
  get enabled(): boolean {
    return this.config.email !== undefined;
  }

  /** Links in emails point into the web app. */
  link(path: string): string {
    return `${this.config.appUrl ?? ''}${path}`;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.jobs.register<{ emailId: string }>(SEND_EMAIL_JOB, (payload, job) => this.send(payload.emailId, job), EMAIL_RETRY);
    this.jobs.register(PRUNE_EMAILS_JOB, () => this.prune());
    this.jobs.every(PRUNE_EMAILS_JOB, 60 * 60_000);
  }

  /**
   * Renders the email and queues it, in `manager`'s transaction: it exists only if the cause commits.
   * Returns its id, or null when email is off.
   */
  async write<K extends EmailKind>(manager: EntityManager, email: EmailToWrite<K>): Promise<string | null> {
    if (!this.enabled) return null;
    const rendered = renderEmail(email.kind, email.locale, email.params);
    const id = randomUUID();
    await manager.insert(OutboxEmail, {
      id,
      kind: email.kind,
      recipient: email.to,
      recipientKey: emailKey(email.to),
      subject: rendered.subject,
      textBody: rendered.text,
      htmlBody: rendered.html,
      status: 'pending',
      createdAt: new Date(),
      sentAt: null,
    });
    await this.jobs.enqueue(SEND_EMAIL_JOB, { emailId: id }, { manager });
    return id;
  }

  /**
   * The same email as rows for a write that runs its own statements (atomic-write.ts): the email and the job
   * that sends it, kept only if that write commits. Call it only when email is on.
   */
  rowsFor<K extends EmailKind>(email: EmailToWrite<K>, at: Date): { id: string; rows: RowsToInsert[] } {
    const rendered = renderEmail(email.kind, email.locale, email.params);
    const id = randomUUID();
    return {
      id,
      rows: [
        {
          table: 'emails',
          columns: ['id', 'kind', 'recipient', 'recipient_key', 'subject', 'text_body', 'html_body', 'status', 'created_at', 'sent_at'],
          pgTypes: ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'text', 'text', 'varchar', 'timestamptz', 'timestamptz'],
          rows: [[id, email.kind, email.to, emailKey(email.to), rendered.subject, rendered.text, rendered.html, 'pending', at, null]],
        },
        JobsService.rowsToInsert([{ kind: SEND_EMAIL_JOB, payload: { emailId: id }, runAt: at.getTime() }], at.getTime()),
      ],
    };
  }

  /** How many emails of `kind` were written to this address since `since`. */
  countSince(manager: EntityManager, kind: EmailKind, to: string, since: Date): Promise<number> {
    return manager
      .getRepository(OutboxEmail)
      .createQueryBuilder('email')
      .where('email.recipientKey = :key AND email.kind = :kind AND email.createdAt > :since', { key: emailKey(to), kind, since })
      .getCount();
  }

  private async prune(): Promise<void> {
    const before = new Date(Date.now() - EMAIL_RETENTION_MS);
    await this.dataSource.getRepository(OutboxEmail).createQueryBuilder().delete().where("status <> 'pending' AND created_at < :before", { before }).execute();
    // Notifications that waited this long were emailed, or belong to a user who turned emails off.
    await this.dataSource.getRepository(NotificationEmail).createQueryBuilder().delete().where('created_at < :before', { before }).execute();
  }

  /**
   * While the SMTP server cannot be reached, the poller stops trying the other waiting emails for a while (1 s,
   * doubling to 5 s: a short wait once it is back), so that an outage costs the API a few failed attempts a second
   * rather than one per waiting email; each email keeps its own back-off and 24 hours.
   */
  private pauseWhileUnreachable(): void {
    const now = Date.now();
    // The other runs of the batch that found it down fail too: one pause for them all.
    if (now < this.pausedUntil) return;
    this.unreachablePauseMs = Math.min(Math.max(this.unreachablePauseMs * 2, 1_000), UNREACHABLE_PAUSE_MAX_MS);
    this.pausedUntil = now + this.unreachablePauseMs;
    this.jobs.pause(SEND_EMAIL_JOB, this.unreachablePauseMs);
  }

  private async send(emailId: string, job: RunningJob): Promise<void> {
    const emails = this.dataSource.getRepository(OutboxEmail);
    const email = await emails.findOneBy({ id: emailId });
    if (!email || email.status !== 'pending') return;
    try {
      await this.mailer.send({
        messageId: `<${email.id}@taskflow>`,
        to: email.recipient,
        subject: email.subject,
        text: email.textBody,
        html: email.htmlBody,
      });
    } catch (error) {
      if (isUnreachable(error)) this.pauseWhileUnreachable();
      if (job.lastAttempt) await emails.update({ id: email.id }, { status: 'failed', textBody: '', htmlBody: '' });
      throw error;
    }
    this.unreachablePauseMs = 0;
    // The bodies may hold a reset link or an invitation code: they are not kept once delivered.
    await emails.update({ id: email.id }, { status: 'sent', sentAt: new Date(), textBody: '', htmlBody: '' });
    this.logger.log(`Email ${email.id} (${email.kind}) sent`);
  }
}
