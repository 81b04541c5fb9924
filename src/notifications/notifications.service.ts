import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { RowsToInsert } from '../database/atomic-write';
import { numberedPlaceholders, storedDate } from '../database/sql-values';
import type { NotificationEmailItem } from '../email/notification-email.entity';
import { NotificationEmails } from '../email/notification-emails.service';
import { TaskAuthorResponse, TaskResponse } from '../tasks/dto/task-response.dto';
import { TaskWriteEvent, TaskWriteHooks } from '../tasks/task-write-hooks';
import { NotificationResponse } from './dto/notification.dto';
import { asExtraRows, NewNotification, WatchDecision } from './notification-rows';
import { NotificationKind } from './notification.entity';

const DAY_MS = 86_400_000;
/** Read notifications are kept this long. */
const READ_RETENTION_DAYS = 90;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** A notification row with what its response needs (names, the task's current key and title). */
export interface NotificationRow {
  seq: string | number;
  id: string;
  user_id: string;
  kind: NotificationKind;
  task_id: string | null;
  task_key: string | null;
  task_title: string | null;
  live_key: string | null;
  live_title: string | null;
  actor_id: string | null;
  actor_name: string | null;
  comment_id: string | null;
  webhook_id: string | null;
  webhook_url: string | null;
  created_at: string | Date;
  read_at: string | Date | null;
}

export interface NotificationPage {
  notifications: NotificationResponse[];
  unread: number;
  nextCursor: string | null;
}

/**
 * Watchers and notifications (docs/API.md, "Watchers and notifications"). Notifications are written in
 * the same transaction as their cause: task writes through the hook registered here, comment writes by
 * CommentsService, due_soon by its periodic job. Nothing exists in AUTH_MODE=off (no members).
 */
@Injectable()
export class NotificationsService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private pruneTimer: NodeJS.Timeout | undefined;
  private readonly isPostgres: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly hooks: TaskWriteHooks,
    private readonly emails: NotificationEmails,
  ) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  onModuleInit(): void {
    // Status changes and deletions notify the task's watchers.
    this.hooks.register((event) => this.effectsOfTaskWrite(event), {
      watchersWanted: (kind, changes) => this.enabled && (kind === 'deleted' || changes?.status !== undefined),
    });
  }

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }

  get enabled(): boolean {
    return this.config.authMode !== 'off';
  }

  /** Users watching the task now (ids). */
  async watcherIds(taskId: string): Promise<string[]> {
    const rows = await this.query<{ user_id: string }>(`SELECT user_id FROM task_watchers WHERE task_id = ? AND watching = ${this.true}`, [taskId]);
    return rows.map((row) => row.user_id);
  }

  /** The task's watchers with their current names, ordered by name. */
  async watchers(taskId: string): Promise<TaskAuthorResponse[]> {
    return this.query<TaskAuthorResponse>(
      `SELECT u.id, u.name FROM task_watchers w JOIN users u ON u.id = w.user_id WHERE w.task_id = ? AND w.watching = ${this.true} ORDER BY u.name, u.id`,
      [taskId],
    );
  }

  async setWatching(taskId: string, userId: string, watching: boolean): Promise<void> {
    await this.query(`INSERT INTO task_watchers (task_id, user_id, watching) VALUES (?, ?, ?) ON CONFLICT (task_id, user_id) DO UPDATE SET watching = excluded.watching`, [
      taskId,
      userId,
      this.isPostgres ? watching : Number(watching),
    ]);
  }

  /** A user's notifications, newest first, `limit` at a time after `cursor` (a seq). */
  async list(userId: string, options: { unreadOnly: boolean; limit: number; cursor?: string }): Promise<NotificationPage> {
    const conditions = ['n.user_id = ?'];
    const params: unknown[] = [userId];
    if (options.unreadOnly) conditions.push('n.read_at IS NULL');
    if (options.cursor !== undefined) {
      conditions.push('n.seq < ?');
      params.push(options.cursor);
    }
    const rows = await this.query<NotificationRow>(`${this.selectRows()} WHERE ${conditions.join(' AND ')} ORDER BY n.seq DESC LIMIT ?`, [...params, options.limit + 1]);
    const page = rows.slice(0, options.limit);
    return {
      notifications: page.map(toNotificationResponse),
      unread: await this.unreadCount(userId),
      nextCursor: rows.length > options.limit ? String(page[page.length - 1].seq) : null,
    };
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.query<{ total: string | number }>('SELECT COUNT(*) AS total FROM notifications WHERE user_id = ? AND read_at IS NULL', [userId]);
    return Number(row.total);
  }

  /** Marks the user's own notifications read (ids of others' are ignored), or all of them. */
  async markRead(userId: string, which: { ids?: string[]; all?: boolean }): Promise<void> {
    const now = new Date();
    if (which.all) {
      await this.query('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL', [storedDate(this.dataSource, now), userId]);
      return;
    }
    const ids = which.ids ?? [];
    if (ids.length === 0) return;
    await this.query(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (${ids.map(() => '?').join(', ')})`, [storedDate(this.dataSource, now), userId, ...ids]);
  }

  /**
   * Notifications after `seq`, oldest first, for the live streams. The rows are chosen first, then joined, so that
   * the joins run for the few rows a read usually finds, not planned for the whole limit (as the task list does).
   */
  async after(seq: bigint, limit: number): Promise<NotificationRow[]> {
    return this.query<NotificationRow>(`${this.selectRows('(SELECT * FROM notifications WHERE seq > ? ORDER BY seq LIMIT ?)')} ORDER BY n.seq`, [seq.toString(), limit]);
  }

  async latestSeq(): Promise<bigint> {
    const [row] = await this.query<{ latest: string | number | null }>('SELECT MAX(seq) AS latest FROM notifications', []);
    return BigInt(row?.latest ?? 0);
  }

  /** Deletes read notifications older than the retention. */
  async prune(now = Date.now()): Promise<void> {
    await this.query('DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < ?', [storedDate(this.dataSource, new Date(now - READ_RETENTION_DAYS * DAY_MS))]);
  }

  /** The rows that email these notifications to their recipients (per each one's preference), if email is on. */
  emailRows(notifications: NewNotification[], actorName: string | null): Promise<RowsToInsert[]> {
    return this.emails.rowsFor(
      notifications.map((notification) => ({
        userId: notification.userId,
        item: {
          kind: notification.kind as NotificationEmailItem['kind'],
          taskId: notification.task?.id,
          taskKey: notification.task?.key ?? '',
          taskTitle: notification.task?.title ?? '',
          actorName,
        },
      })),
      notifications[0]?.at ?? new Date(),
    );
  }

  /** What a task write adds: its watchers' decisions and the notifications it causes (none to its author). */
  private async effectsOfTaskWrite(event: TaskWriteEvent) {
    if (!this.enabled) return {};
    const task = (event.after ?? event.before)!;
    const actorId = event.actor?.id ?? null;
    const taskRef = { id: task.id, key: task.number ? task.key : null, title: task.title };
    const notifications: NewNotification[] = [];
    const watch: WatchDecision[] = [];
    const notify = (userIds: Iterable<string>, kind: NotificationKind) => {
      for (const userId of new Set(userIds)) if (userId !== actorId) notifications.push({ userId, kind, task: taskRef, actorId, at: event.at });
    };

    const newAssignee = assigneeChange(event.before, event.after);
    if (event.kind === 'created' && actorId) watch.push({ taskId: task.id, userId: actorId, watching: true });
    if (newAssignee) {
      // Being newly assigned makes one watch again.
      watch.push({ taskId: task.id, userId: newAssignee, watching: true });
      notify([newAssignee], NotificationKind.Assigned);
    }
    const watchers = async () => event.watcherIds ?? (await this.watcherIds(task.id));
    if (event.kind === 'updated' && event.before!.status !== event.after!.status) notify(await watchers(), NotificationKind.StatusChanged);
    if (event.kind === 'deleted') {
      notify(await watchers(), NotificationKind.TaskDeleted);
      return { extras: asExtraRows(notifications, [], await this.emailRows(notifications, event.actor?.name ?? null)), alsoDeleteFrom: ['task_watchers'] };
    }
    return { extras: asExtraRows(notifications, watch, await this.emailRows(notifications, event.actor?.name ?? null)) };
  }

  /** `from`: the notifications to read (a table or a subquery), named `n`. */
  private selectRows(from = 'notifications'): string {
    const liveKey = this.isPostgres ? "p.key || '-' || t.number" : "p.key || '-' || t.number";
    return (
      `SELECT n.seq, n.id, n.user_id, n.kind, n.task_id, n.task_key, n.task_title, ${liveKey} AS live_key, t.title AS live_title, ` +
      'n.actor_id, a.name AS actor_name, n.comment_id, n.webhook_id, n.webhook_url, n.created_at, n.read_at ' +
      `FROM ${from} n LEFT JOIN tasks t ON t.id = n.task_id LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN users a ON a.id = n.actor_id`
    );
  }

  private get true(): string {
    return this.isPostgres ? 'TRUE' : '1';
  }


  private query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query<T[]>(this.isPostgres ? numberedPlaceholders(sql) : sql, params);
  }
}

/** The member newly assigned by a write, if any. */
function assigneeChange(before: TaskResponse | null, after: TaskResponse | null): string | null {
  const assignee = after?.assignee_id ?? null;
  return assignee !== null && assignee !== (before?.assignee_id ?? null) ? assignee : null;
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

export function toNotificationResponse(row: NotificationRow): NotificationResponse {
  const hasTask = row.task_id !== null;
  return {
    id: row.id,
    kind: row.kind,
    task: hasTask ? { id: row.task_id!, key: row.live_key ?? row.task_key, title: row.live_title ?? row.task_title ?? '' } : null,
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name ?? '' } : null,
    comment_id: row.comment_id,
    webhook: row.webhook_id ? { id: row.webhook_id, url: row.webhook_url ?? '' } : null,
    created_at: toDate(row.created_at).toISOString(),
    read_at: row.read_at === null ? null : toDate(row.read_at).toISOString(),
  };
}
