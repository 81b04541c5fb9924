import type { components, paths } from '../../lib/api-schema';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Task = Json<paths['/tasks/{id}']['get']['responses'][200]>;
export type TaskCreate = Json<NonNullable<paths['/tasks']['post']['requestBody']>>;
export type TaskUpdate = Json<NonNullable<paths['/tasks/{id}']['put']['requestBody']>>;
export type TaskStats = Json<paths['/tasks/stats']['get']['responses'][200]>;
export type TaskListQuery = NonNullable<paths['/tasks']['get']['parameters']['query']>;
/** One entry of the change log: a task's history, and each event of the live stream. */
export type TaskChange = components['schemas']['TaskChangeResponse'];
export type TaskChangeKind = TaskChange['kind'];
export type StreamTicket = Json<paths['/tasks/events/ticket']['post']['responses'][201]>;

export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];
export type TaskSortKey = NonNullable<TaskListQuery['sort']>;
export type SortOrder = NonNullable<TaskListQuery['order']>;

// Records keyed by the generated unions: a value the API adds makes these fail to compile until it is labelled.
export const statusLabels: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  done: 'Done',
};
export const priorityLabels: Record<TaskPriority, string> = { low: 'Low', medium: 'Medium', high: 'High' };
export const sortLabels: Record<TaskSortKey, string> = {
  created_at: 'Created',
  updated_at: 'Updated',
  due_date: 'Due date',
  priority: 'Priority',
  status: 'Status',
  title: 'Title',
  key: 'Key',
};

export const taskStatuses = Object.keys(statusLabels) as TaskStatus[];
export const taskPriorities = Object.keys(priorityLabels) as TaskPriority[];
export const taskSortKeys = Object.keys(sortLabels) as TaskSortKey[];

/** Limits the server enforces (CONTRACT.md, Task), counted in code points as the server counts them. */
export const taskLimits = { title: 200, description: 1000, assignee: 100 } as const;

/** The status one click moves a task to: along the workflow, and from done back to the start. */
export function nextStatus(status: TaskStatus): TaskStatus {
  const index = taskStatuses.indexOf(status);
  return taskStatuses[(index + 1) % taskStatuses.length];
}

export function isOverdue(task: Task, now: Date = new Date()): boolean {
  return task.status !== 'done' && task.due_date !== null && new Date(task.due_date) < now;
}

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp in the person's time zone, the same way on every screen. */
export function formatDateTime(iso: string): string {
  return dateFormat.format(new Date(iso));
}
