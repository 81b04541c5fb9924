import {
  taskLimits,
  type Task,
  type TaskCreate,
  type TaskPriority,
  type TaskStatus,
  type TaskUpdate,
} from './task.types';
import i18n from '../../i18n/i18n';

/** What the form's controls hold: strings as typed, the due date as a datetime-local value in local time. */
export interface TaskFormValues {
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assignee: string;
  dueDate: string;
  /** The labels picked, by id. */
  labelIds: string[];
  /** The member assigned, by id; empty for nobody. */
  assigneeId: string;
  /** The project, by id; empty for the default project (or a server from before projects). */
  projectId: string;
}

export type TaskFormField = keyof TaskFormValues;
export type TaskFormErrors = Partial<Record<TaskFormField, string>>;

export const emptyTaskForm: TaskFormValues = {
  title: '',
  description: '',
  status: 'todo',
  priority: 'medium',
  assignee: '',
  dueDate: '',
  labelIds: [],
  assigneeId: '',
  projectId: '',
};

const pad = (value: number) => String(value).padStart(2, '0');

/** An API timestamp as the value of a datetime-local input, in the person's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (local time, no offset) as the UTC timestamp the API stores. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function toFormValues(task: Task): TaskFormValues {
  return {
    title: task.title,
    description: task.description ?? '',
    status: task.status,
    priority: task.priority,
    assignee: task.assignee ?? '',
    dueDate: toLocalInput(task.due_date),
    labelIds: (task.labels ?? []).map((label) => label.id),
    assigneeId: task.assignee_id ?? '',
    projectId: task.project_id ?? '',
  };
}

// The server counts code points, so an emoji is one character here too.
const length = (value: string) => [...value].length;

/** The server's rules (CONTRACT.md, Task), checked before sending so that most mistakes need no round trip. */
export function validateTaskForm(values: TaskFormValues): TaskFormErrors {
  const errors: TaskFormErrors = {};
  const title = values.title.trim();
  if (title === '') errors.title = i18n.t('Title is required.');
  else if (length(title) > taskLimits.title) {
    errors.title = i18n.t('Title must be at most {{max}} characters (now {{length}}).', {
      max: taskLimits.title,
      length: length(title),
    });
  }
  if (length(values.description) > taskLimits.description) {
    errors.description = i18n.t('Description must be at most {{max}} characters (now {{length}}).', {
      max: taskLimits.description,
      length: length(values.description),
    });
  }
  if (length(values.assignee.trim()) > taskLimits.assignee) {
    errors.assignee = i18n.t('Assignee must be at most {{max}} characters (now {{length}}).', {
      max: taskLimits.assignee,
      length: length(values.assignee.trim()),
    });
  }
  if (values.dueDate && fromLocalInput(values.dueDate) === null) errors.dueDate = i18n.t('Enter a valid date and time.');
  return errors;
}

export function toCreateBody(values: TaskFormValues): TaskCreate {
  return {
    title: values.title.trim(),
    description: values.description.trim() === '' ? null : values.description,
    status: values.status,
    priority: values.priority,
    assignee: values.assignee.trim() === '' ? null : values.assignee.trim(),
    due_date: fromLocalInput(values.dueDate),
    // Sent only when chosen, so that a server from before labels and member assignees gets the body it knows.
    ...(values.labelIds.length > 0 ? { label_ids: values.labelIds } : {}),
    ...(values.assigneeId ? { assignee_id: values.assigneeId } : {}),
    ...(values.projectId ? { project_id: values.projectId } : {}),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

/** Only the fields the person changed, so that an edit never overwrites what it did not touch. */
export function toUpdateBody(values: TaskFormValues, original: Task): TaskUpdate {
  const next = toCreateBody(values);
  const changes: TaskUpdate = {};
  if (next.title !== original.title) changes.title = next.title;
  if ((next.description ?? null) !== original.description) changes.description = next.description ?? null;
  if (next.status !== original.status) changes.status = next.status;
  if (next.priority !== original.priority) changes.priority = next.priority;
  if ((next.assignee ?? null) !== original.assignee) changes.assignee = next.assignee ?? null;
  if (values.dueDate !== toLocalInput(original.due_date)) changes.due_date = next.due_date ?? null;
  const labelIds = (original.labels ?? []).map((label) => label.id);
  if (!sameSet(values.labelIds, labelIds)) changes.label_ids = values.labelIds;
  if ((values.assigneeId || null) !== (original.assignee_id ?? null)) changes.assignee_id = values.assigneeId || null;
  // Moving gives the task the next number of the target project; its old key keeps finding it.
  if (values.projectId && values.projectId !== original.project_id) changes.project_id = values.projectId;
  return changes;
}

const serverFields: Record<string, TaskFormField> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
  due_date: 'dueDate',
};

/**
 * Puts each of the server's 422 messages beside the field it names (class-validator starts them with the
 * property: "title must be shorter than or equal to 200 characters"); the rest are shown for the whole form.
 */
export function mapServerMessages(messages: string[]): { fields: TaskFormErrors; general: string[] } {
  const fields: TaskFormErrors = {};
  const general: string[] = [];
  for (const message of messages) {
    const firstWord = message.split(/\s/)[0].toLowerCase();
    const field = serverFields[firstWord] ?? serverFields[firstWord.replace(/\W+$/, '')];
    if (field) fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
    else general.push(message);
  }
  return { fields, general };
}
