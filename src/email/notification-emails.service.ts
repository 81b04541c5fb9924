import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { insertSteps, runAtomically, type RowsToInsert } from '../database/atomic-write';
import { JobsService, untilStartedKey } from '../jobs/jobs.service';
import { User } from '../users/user.entity';
import { EmailNotifications } from '../users/user-preferences';
import { EmailOutbox } from './email-outbox.service';
import { NotificationEmail, NotificationEmailItem } from './notification-email.entity';

export const INSTANT_JOB = 'email.notifications';
export const DIGEST_JOB = 'email.notification_digest';
const DAY_MS = 24 * 60 * 60_000;

/** The user's instant email job that has not started yet, if any, is the one every new notification joins. */
const instantJobKey = (userId: string) => untilStartedKey(`${INSTANT_JOB}:${userId}`);
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
    const jobs: Array<{ kind: string; payload: unknown; runAt: number; dedupeKey: string }> = [];
    const runAt = at.getTime() + this.config.notificationEmailDelaySeconds * 1000;
    for (const { userId, item } of notifications) {
      const mode = modes.get(userId);
      if (mode === undefined || mode === EmailNotifications.Off) continue;
      waiting.push([randomUUID(), userId, JSON.stringify(item), at, null]);
      // The user's instant email already waiting to be sent takes this notification too.
      if (mode === EmailNotifications.Instant) jobs.push({ kind: INSTANT_JOB, payload: { userId }, runAt, dedupeKey: instantJobKey(userId) });
    }
    return [
      { table: 'notification_emails', columns: ['id', 'user_id', 'item', 'created_at', 'email_id'], pgTypes: ['varchar', 'varchar', 'text', 'timestamptz', 'varchar'], rows: waiting },
      JobsService.rowsToInsert(jobs, at.getTime()),
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
      // One waiting job per user: it sends everything waiting when it runs (a notification queued after it has
      // started gets a job of its own).
      const runAt = now.getTime() + this.config.notificationEmailDelaySeconds * 1000;
      await this.jobs.enqueue(INSTANT_JOB, { userId }, { manager, runAt, dedupeKey: instantJobKey(userId) });
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
   * Writes one email with the user's waiting notifications (of `window` when given) and marks them as emailed,
   * in one short transaction that keeps nothing unless it marks every one it read, so that each notification is
   * emailed once even when two runs meet. The reads and the rendering happen before it: on SQLite a transaction
   * holds back every other write while it is open.
   */
  private async sendWaiting(userId: string, mode: EmailNotifications, window: { since: Date; until: Date } | null): Promise<void> {
    for (;;) {
      const user = await this.dataSource.getRepository(User).findOneBy({ id: userId });
      // A user who switched modes meanwhile gets the other mode's email; a disabled one, none.
      if (!user || user.disabled || user.emailNotifications !== mode) return;
      const waiting = await this.waitingFor(userId, window);
      if (waiting.length === 0) return;
      const items = waiting.map((row) => JSON.parse(row.item) as NotificationEmailItem);
      const currentKeys = await this.currentKeys(items);
      const notifications = items.map((item) => {
        // The task's key as it is now (a task created with its assignment had none yet when queued).
        const taskKey = (item.taskId && currentKeys.get(item.taskId)) || item.taskKey;
        return { ...item, taskKey, link: this.outbox.link(`/tasks/${encodeURIComponent(taskKey || item.taskId || '')}`) };
      });
      const email = this.outbox.rowsFor(
        {
          kind: mode === EmailNotifications.Daily ? 'notification_digest' : 'notifications',
          to: user.email,
          locale: user.locale,
          params: { name: user.name, notifications, settingsLink: this.outbox.link('/account') },
        },
        new Date(),
      );
      const ids = waiting.map((row) => row.id);
      const written = await runAtomically(this.dataSource, [
        {
          sql: `UPDATE notification_emails SET email_id = ? WHERE email_id IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
          params: [email.id, ...ids],
          changes: ids.length,
        },
        ...email.rows.flatMap(insertSteps),
      ]);
      // Not written: another run emailed some of them meanwhile. Those it left are read again.
      if (written) return;
    }
  }

  private waitingFor(userId: string, window: { since: Date; until: Date } | null): Promise<NotificationEmail[]> {
    const query = this.dataSource
      .getRepository(NotificationEmail)
      .createQueryBuilder('waiting')
      .where({ userId, emailId: IsNull() })
      .orderBy('waiting.createdAt', 'ASC')
      .addOrderBy('waiting.id', 'ASC');
    if (window) query.andWhere(new Brackets((range) => range.where('waiting.createdAt >= :since AND waiting.createdAt < :until', window)));
    return query.getMany();
  }

  /** The current keys of the items' tasks that still exist. */
  private async currentKeys(items: NotificationEmailItem[]): Promise<Map<string, string>> {
    const ids = [...new Set(items.map((item) => item.taskId).filter((id): id is string => Boolean(id)))];
    if (ids.length === 0) return new Map();
    const placeholders = ids.map((_, index) => (this.dataSource.options.type === 'postgres' ? `$${index + 1}` : '?')).join(', ');
    const rows: Array<{ id: string; key: string }> = await this.dataSource.query(
      `SELECT t.id, p.key || '-' || t.number AS key FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id IN (${placeholders})`,
      ids,
    );
    return new Map(rows.map((row) => [row.id, row.key]));
  }
}
