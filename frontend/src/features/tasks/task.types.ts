import type { components, paths } from '../../lib/api-schema';
import i18n, { formatDateTime } from '../../i18n/i18n';

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
// Each label is read when shown, in the language of the moment.
const statusLabels: Record<TaskStatus, () => string> = {
  todo: () => i18n.t('To do'),
  in_progress: () => i18n.t('In progress'),
  done: () => i18n.t('Done'),
};
const priorityLabels: Record<TaskPriority, () => string> = {
  low: () => i18n.t('Low'),
  medium: () => i18n.t('Medium'),
  high: () => i18n.t('High'),
};
const sortLabels: Record<TaskSortKey, () => string> = {
  created_at: () => i18n.t('Created'),
  updated_at: () => i18n.t('Updated'),
  due_date: () => i18n.t('Due date'),
  priority: () => i18n.t('Priority'),
  status: () => i18n.t('Status'),
  title: () => i18n.t('Title'),
  key: () => i18n.t('Key'),
};

export const statusLabel = (status: TaskStatus): string => statusLabels[status]();
export const priorityLabel = (priority: TaskPriority): string => priorityLabels[priority]();
export const sortLabel = (key: TaskSortKey): string => sortLabels[key]();

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

/** Where a task's page is: by key, or by id on a server from before keys. */
export function taskPath(task: Task): string {
  return `/tasks/${task.key || task.id}`;
}

export function isOverdue(task: Task, now: Date = new Date()): boolean {
  return task.status !== 'done' && task.due_date !== null && new Date(task.due_date) < now;
}

export { formatDateTime };
