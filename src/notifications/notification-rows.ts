import { randomUUID } from 'node:crypto';
import { insertSteps, RowsToInsert, WriteStep } from '../database/atomic-write';
import { ExtraRows } from '../tasks/task-writes';
import { NotificationKind } from './notification.entity';

/** A notification to write with its cause. */
export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  task: { id: string; key: string | null; title: string } | null;
  actorId: string | null;
  commentId?: string | null;
  webhook?: { id: string; url: string } | null;
  dedupeKey?: string | null;
  at: Date;
}

/** A decision that a user watches a task (or, when asked, stops). */
export interface WatchDecision {
  taskId: string;
  userId: string;
  watching: boolean;
}

const NOTIFICATION_COLUMNS = ['id', 'user_id', 'kind', 'task_id', 'task_key', 'task_title', 'actor_id', 'comment_id', 'webhook_id', 'webhook_url', 'dedupe_key', 'created_at'];
const NOTIFICATION_PG_TYPES = ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'timestamptz'];
const WATCHER_COLUMNS = ['task_id', 'user_id', 'watching'];
const WATCHER_CONFLICT = '(task_id, user_id) DO UPDATE SET watching = excluded.watching';

function notificationValues(notification: NewNotification): unknown[] {
  return [
    randomUUID(),
    notification.userId,
    notification.kind,
    notification.task?.id ?? null,
    notification.task?.key ?? null,
    notification.task?.title ?? null,
    notification.actorId,
    notification.commentId ?? null,
    notification.webhook?.id ?? null,
    notification.webhook?.url ?? null,
    notification.dedupeKey ?? null,
    notification.at,
  ];
}

/** One decision per (task, user): the last one wins (an upsert may not touch a row twice in one statement). */
function distinct(decisions: WatchDecision[]): WatchDecision[] {
  return [...new Map(decisions.map((decision) => [`${decision.taskId}:${decision.userId}`, decision])).values()];
}

/** The watchers' decisions and the notifications as rows to insert (watchers first, none for an empty list). */
function rowsOf(notifications: NewNotification[], watch: WatchDecision[]): RowsToInsert[] {
  return [
    { table: 'task_watchers', columns: WATCHER_COLUMNS, pgTypes: ['varchar', 'varchar', 'boolean'], rows: distinct(watch).map((w) => [w.taskId, w.userId, w.watching]), onConflict: WATCHER_CONFLICT },
    { table: 'notifications', columns: NOTIFICATION_COLUMNS, pgTypes: NOTIFICATION_PG_TYPES, rows: notifications.map(notificationValues) },
  ].filter((rows) => rows.rows.length > 0);
}

/** As rows of a task write (TaskWrites), inserted only if the write happens; `more`: their emails' rows. */
export function asExtraRows(notifications: NewNotification[], watch: WatchDecision[], more: RowsToInsert[] = []): ExtraRows[] {
  return [...more, ...rowsOf(notifications, watch)].filter((extra) => extra.rows.length > 0);
}

/** As steps of an atomic write (runAtomically), one statement per table whatever the number of rows; `more`: their emails' rows. */
export function asWriteSteps(notifications: NewNotification[], watch: WatchDecision[], more: RowsToInsert[] = []): WriteStep[] {
  return [...rowsOf(notifications, watch), ...more].flatMap(insertSteps);
}

/** The notifications as rows to insert (a write that inserts them itself, e.g. with its own `ON CONFLICT`). */
export function notificationRows(notifications: NewNotification[]): RowsToInsert {
  return { table: 'notifications', columns: NOTIFICATION_COLUMNS, pgTypes: NOTIFICATION_PG_TYPES, rows: notifications.map(notificationValues) };
}
