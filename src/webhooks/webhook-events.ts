import { TaskChangeKind } from '../history/task-change.entity';

export const WEBHOOK_EVENTS = ['task.created', 'task.updated', 'task.deleted', 'comment.created', 'comment.updated', 'comment.deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const ALL_EVENTS = '*';
export const PING_EVENT = 'ping';

const EVENT_OF_KIND: Record<TaskChangeKind, WebhookEvent> = {
  [TaskChangeKind.Created]: 'task.created',
  [TaskChangeKind.Updated]: 'task.updated',
  [TaskChangeKind.Deleted]: 'task.deleted',
  [TaskChangeKind.CommentCreated]: 'comment.created',
  [TaskChangeKind.CommentUpdated]: 'comment.updated',
  [TaskChangeKind.CommentDeleted]: 'comment.deleted',
};

/** The event a change-log entry is delivered as. */
export function eventOfChange(kind: TaskChangeKind): WebhookEvent {
  return EVENT_OF_KIND[kind];
}

/** Whether a webhook subscribed to `events` (`["*"]` or names) receives `event`. */
export function subscribes(events: readonly string[], event: string): boolean {
  return events.includes(ALL_EVENTS) || events.includes(event);
}
