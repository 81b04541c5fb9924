import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { RowsToInsert } from '../database/atomic-write';
import { inTransaction } from '../database/transaction';
import { JobsService } from '../jobs/jobs.service';
import { User } from '../users/user.entity';
import { EmailNotifications } from '../users/user-preferences';
import { EmailOutbox } from './email-outbox.service';
import { NotificationEmail, NotificationEmailItem } from './notification-email.entity';

export const INSTANT_JOB = 'email.notifications';
export const DIGEST_JOB = 'email.notification_digest';
const DAY_MS = 24 * 60 * 60_000;
/** The daily digest goes out at 07:00 UTC. */
export const DIGEST_OFFSET_MS = 7 * 60 * 60_000;

/**
 * Notification emails (docs/API.md, Email). The notifications feature calls queue() in the
 * transaction that creates a notification; what is queued reaches the recipient as `instant` emails
 * (everything waiting, combined, NOTIFICATION_EMAIL_DELAY_SECONDS after a notification) or in the `daily`
 * digest at 07:00 UTC, or not at all (`off`, or a disabled user).
 */
@Injectable()
export class NotificationEmails implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly outbox: EmailOutbox,
    private readonly jobs: JobsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (!this.outbox.enabled) return;
    this.jobs.register<{ userId: string }>(INSTANT_JOB, ({ userId }) => this.sendInstant(userId));
    this.jobs.register<{ slot: number }>(DIGEST_JOB, ({ slot }) => this.sendDigests(slot));
    this.jobs.every(DIGEST_JOB, DAY_MS, DIGEST_OFFSET_MS);
  }

  /**
   * The rows that queue these notifications for their recipients' emails, for a write that inserts its rows
   * itself (task writes, comment writes): waiting items and, for `instant` recipients, their send jobs. None
   * without email, for a disabled recipient or one with email notifications `off`.
   */
  async rowsFor(notifications: Array<{ userId: string; item: NotificationEmailItem }>, at: Date): Promise<RowsToInsert[]> {
    if (!this.outbox.enabled || notifications.length === 0) return [];
    const users = await this.dataSource.getRepository(User).find({ where: { id: In([...new Set(notifications.map((n) => n.userId))]) } });
    const modes = new Map(users.filter((user) => !user.disabled).map((user) => [user.id, user.emailNotifications]));
    const waiting: unknown[][] = [];
    const jobs: unknown[][] = [];
    const runAt = at.getTime() + this.config.notificationEmailDelaySeconds * 1000;
    for (const { userId, item } of notifications) {
      const mode = modes.get(userId);
      if (mode === undefined || mode === EmailNotifications.Off) continue;
      waiting.push([randomUUID(), userId, JSON.stringify(item), at, null]);
      if (mode === EmailNotifications.Instant) jobs.push([randomUUID(), INSTANT_JOB, JSON.stringify({ userId }), null, 'pending', runAt, 0, at.getTime()]);
    }
    return [
      { table: 'notification_emails', columns: ['id', 'user_id', 'item', 'created_at', 'email_id'], pgTypes: ['varchar', 'varchar', 'text', 'timestamptz', 'varchar'], rows: waiting },
      {
        table: 'jobs',
        columns: ['id', 'kind', 'payload', 'dedupe_key', 'status', 'run_at', 'attempts', 'created_at'],
        pgTypes: ['varchar', 'varchar', 'text', 'varchar', 'varchar', 'bigint', 'int', 'bigint'],
        rows: jobs,
      },
    ].filter((rows) => rows.rows.length > 0);
  }

  /** Queues a notification for its recipient's email, in the caller's transaction. */
  async queue(manager: EntityManager, userId: string, item: NotificationEmailItem): Promise<void> {
    if (!this.outbox.enabled) return;
    const user = await manager.findOneBy(User, { id: userId });
    if (!user || user.disabled || user.emailNotifications === EmailNotifications.Off) return;
    const now = new Date();
    await manager.insert(NotificationEmail, { id: randomUUID(), userId, item: JSON.stringify(item), createdAt: now, emailId: null });
    if (user.emailNotifications === EmailNotifications.Instant) {
      // One job per notification; the first to run sends everything waiting, the others then find nothing.
      const runAt = now.getTime() + this.config.notificationEmailDelaySeconds * 1000;
      await this.jobs.enqueue(INSTANT_JOB, { userId }, { manager, runAt });
    }
  }

  private async sendInstant(userId: string): Promise<void> {
    await this.sendWaiting(userId, EmailNotifications.Instant, null);
  }

  /** The digest of the 24 hours before `slot` (07:00 UTC), to each `daily` user with notifications in them. */
  private async sendDigests(slot: number): Promise<void> {
    const since = new Date(slot - DAY_MS);
    const rows: Array<{ userId: string }> = await this.dataSource
      .getRepository(NotificationEmail)
      .createQueryBuilder('waiting')
      .select('DISTINCT waiting.userId', 'userId')
      .where('waiting.emailId IS NULL AND waiting.createdAt >= :since AND waiting.createdAt < :until', { since, until: new Date(slot) })
      .getRawMany();
    for (const { userId } of rows) await this.sendWaiting(userId, EmailNotifications.Daily, { since, until: new Date(slot) });
  }

  /**
   * Claims the user's waiting notifications (of `window` when given) and writes one email with them, in one
   * transaction, so that each notification is emailed once even when two runs meet.
   */
  private async sendWaiting(userId: string, mode: EmailNotifications, window: { since: Date; until: Date } | null): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      if (this.dataSource.options.type === 'postgres') await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const user = await manager.findOneBy(User, { id: userId });
      // A user who switched modes meanwhile gets the other mode's email; a disabled one, none.
      if (!user || user.disabled || user.emailNotifications !== mode) return;
      const query = manager
        .getRepository(NotificationEmail)
        .createQueryBuilder('waiting')
        .where({ userId, emailId: IsNull() })
        .orderBy('waiting.createdAt', 'ASC')
        .addOrderBy('waiting.id', 'ASC');
      if (window) {
        query.andWhere(new Brackets((range) => range.where('waiting.createdAt >= :since AND waiting.createdAt < :until', window)));
      }
      const waiting = await query.getMany();
      if (waiting.length === 0) return;
      const items = waiting.map((row) => JSON.parse(row.item) as NotificationEmailItem);
      const currentKeys = await this.currentKeys(manager, items);
      const notifications = items.map((item) => {
        // The task's key as it is now (a task created with its assignment had none yet when queued).
        const taskKey = (item.taskId && currentKeys.get(item.taskId)) || item.taskKey;
        return { ...item, taskKey, link: this.outbox.link(`/tasks/${encodeURIComponent(taskKey || item.taskId || '')}`) };
      });
      const emailId = await this.outbox.write(manager, {
        kind: mode === EmailNotifications.Daily ? 'notification_digest' : 'notifications',
        to: user.email,
        locale: user.locale,
        params: { name: user.name, notifications, settingsLink: this.outbox.link('/account') },
      });
      await manager.update(NotificationEmail, waiting.map((row) => row.id), { emailId });
    });
  }

  /** The current keys of the items' tasks that still exist. */
  private async currentKeys(manager: EntityManager, items: NotificationEmailItem[]): Promise<Map<string, string>> {
    const ids = [...new Set(items.map((item) => item.taskId).filter((id): id is string => Boolean(id)))];
    if (ids.length === 0) return new Map();
    const placeholders = ids.map((_, index) => (this.dataSource.options.type === 'postgres' ? `$${index + 1}` : '?')).join(', ');
    const rows: Array<{ id: string; key: string }> = await manager.query(
      `SELECT t.id, p.key || '-' || t.number AS key FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id IN (${placeholders})`,
      ids,
    );
    return new Map(rows.map((row) => [row.id, row.key]));
  }
}
