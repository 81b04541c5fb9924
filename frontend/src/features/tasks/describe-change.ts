import { formatDateTime, priorityLabels, statusLabels, type Task, type TaskChange, type TaskPriority, type TaskStatus } from './task.types';

type FieldChanges = TaskChange['changes'];
/** The task fields the change log records, in the order a sentence names them. */
const fieldOrder = ['status', 'title', 'priority', 'assignee', 'due_date', 'description'] as const;
type LoggedField = (typeof fieldOrder)[number];

// The generated type says `object` for a changed value; the server sends the field's wire value: a string or null.
function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function quote(value: string): string {
  const chars = [...value];
  return `“${chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : value}”`;
}

/** A field's value as a person reads it: labels for status and priority, local time for the due date. */
function show(field: LoggedField, value: unknown): string {
  const raw = text(value);
  if (raw === null) return field === 'assignee' ? 'nobody' : 'none';
  switch (field) {
    case 'status':
      return statusLabels[raw as TaskStatus] ?? raw;
    case 'priority':
      return priorityLabels[raw as TaskPriority] ?? raw;
    case 'due_date':
      return formatDateTime(raw);
    case 'title':
    case 'description':
      return quote(raw);
    case 'assignee':
      return raw;
  }
}

/** "moved it from To do to In progress": what an update did to one field. */
function phrase(field: LoggedField, before: unknown, after: unknown): string {
  const [was, now] = [text(before), text(after)];
  switch (field) {
    case 'status':
      return `moved it from ${show(field, was)} to ${show(field, now)}`;
    case 'title':
      return `changed the title from ${show(field, was)} to ${show(field, now)}`;
    case 'priority':
      return `changed the priority from ${show(field, was)} to ${show(field, now)}`;
    case 'assignee':
      if (was === null) return `assigned it to ${now}`;
      if (now === null) return `unassigned ${was}`;
      return `reassigned it from ${was} to ${now}`;
    case 'due_date':
      if (was === null) return `set the due date to ${show(field, now)}`;
      if (now === null) return 'removed the due date';
      return `moved the due date from ${show(field, was)} to ${show(field, now)}`;
    case 'description':
      if (was === null) return 'added a description';
      if (now === null) return 'removed the description';
      return 'changed the description';
  }
}

/** "a", "a and b", "a, b and c". */
function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function changedFields(changes: FieldChanges): LoggedField[] {
  return fieldOrder.filter((field) => field in changes);
}

/** Who made a change, as the history names them; null when the server does not know (accounts off). */
export function authorName(change: Pick<TaskChange, 'user'>): string {
  return change.user?.name ?? 'Someone';
}

/** What a change did, after its author: "moved it from In progress to Done", "created it". */
export function describeAction(change: TaskChange): string {
  if (change.kind === 'created') return 'created it';
  if (change.kind === 'deleted') return 'deleted it';
  const phrases = changedFields(change.changes).map((field) =>
    phrase(field, change.changes[field].old, change.changes[field].new),
  );
  return phrases.length > 0 ? listOf(phrases) : 'saved it without changing anything';
}

/** "Alice moved it from In progress to Done": one entry of a task's history. */
export function describeChange(change: TaskChange): string {
  return `${authorName(change)} ${describeAction(change)}`;
}

/** "status In progress → Done": each field that differs between two versions of a task. */
export function describeDifferences(before: Task, after: Task): string[] {
  return fieldOrder
    .filter((field) => before[field] !== after[field])
    .map((field) =>
      field === 'description'
        ? 'the description'
        : `${field === 'due_date' ? 'due date' : field} ${show(field, before[field])} → ${show(field, after[field])}`,
    );
}

/** "just now", "2 min ago", "3 h ago", "yesterday", then the date: when a change happened. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return formatDateTime(iso);
}
