import i18n, { currentLanguage, formatDateTime } from '../../i18n/i18n';
import { plainText } from '../comments/mentions';
import {
  priorityLabel,
  statusLabel,
  taskPriorities,
  taskStatuses,
  type Task,
  type TaskChange,
  type TaskPriority,
  type TaskStatus,
} from './task.types';

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
  return i18n.t('“{{text}}”', { text: chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : value });
}

/** A field's value as a person reads it: labels for status and priority, local time for the due date. */
function show(field: LoggedField, value: unknown): string {
  const raw = text(value);
  if (raw === null) return field === 'assignee' ? i18n.t('nobody') : i18n.t('none');
  switch (field) {
    case 'status':
      return taskStatuses.includes(raw as TaskStatus) ? statusLabel(raw as TaskStatus) : raw;
    case 'priority':
      return taskPriorities.includes(raw as TaskPriority) ? priorityLabel(raw as TaskPriority) : raw;
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
  const values = { was: show(field, was), now: show(field, now) };
  switch (field) {
    case 'status':
      return i18n.t('moved it from {{was}} to {{now}}', values);
    case 'title':
      return i18n.t('changed the title from {{was}} to {{now}}', values);
    case 'priority':
      return i18n.t('changed the priority from {{was}} to {{now}}', values);
    case 'assignee':
      if (was === null) return i18n.t('assigned it to {{now}}', { now });
      if (now === null) return i18n.t('unassigned {{was}}', { was });
      return i18n.t('reassigned it from {{was}} to {{now}}', { was, now });
    case 'due_date':
      if (was === null) return i18n.t('set the due date to {{now}}', values);
      if (now === null) return i18n.t('removed the due date');
      return i18n.t('moved the due date from {{was}} to {{now}}', values);
    case 'description':
      if (was === null) return i18n.t('added a description');
      if (now === null) return i18n.t('removed the description');
      return i18n.t('changed the description');
  }
}

/** "a", "a and b", "a, b and c", as the person's language joins them. */
function listOf(items: string[]): string {
  // British English: no comma before "and", as the history has always written it.
  const language = currentLanguage();
  return new Intl.ListFormat(language === 'en' ? 'en-GB' : language, { type: 'conjunction' }).format(items);
}

function changedFields(changes: FieldChanges): LoggedField[] {
  return fieldOrder.filter((field) => field in changes);
}

/** Who made a change, as the history names them; null when the server does not know (accounts off). */
export function authorName(change: Pick<TaskChange, 'user'>): string {
  return change.user?.name ?? i18n.t('Someone');
}

/** What a change did, after its author: "moved it from In progress to Done", "created it". */
export function describeAction(change: TaskChange): string {
  if (change.kind === 'created') return i18n.t('created it');
  if (change.kind === 'deleted') return i18n.t('deleted it');
  if (change.kind.startsWith('comment_')) return describeComment(change);
  const phrases = changedFields(change.changes).map((field) =>
    phrase(field, change.changes[field].old, change.changes[field].new),
  );
  return phrases.length > 0 ? listOf(phrases) : i18n.t('saved it without changing anything');
}

/** "commented: “Looks good, @Bob”": a comment entry of the history, its text cut to one short line. */
function describeComment(change: TaskChange): string {
  if (change.kind === 'comment_deleted') return i18n.t('deleted a comment');
  const comment = change.comment;
  const excerpt = comment ? quote(plainText(comment.body, comment.mentions, i18n.t('unknown member')).replace(/\s+/g, ' ').trim()) : '';
  return change.kind === 'comment_updated'
    ? i18n.t('edited a comment: {{text}}', { text: excerpt })
    : i18n.t('commented: {{text}}', { text: excerpt });
}

/** "Alice moved it from In progress to Done": one entry of a task's history. */
export function describeChange(change: TaskChange): string {
  return i18n.t('{{author}} {{action}}', { author: authorName(change), action: describeAction(change) });
}

/** A field's name inside a sentence ("status", "due date"). */
const fieldNames: Record<LoggedField, () => string> = {
  status: () => i18n.t('status'),
  title: () => i18n.t('title'),
  priority: () => i18n.t('priority'),
  assignee: () => i18n.t('assignee'),
  due_date: () => i18n.t('due date'),
  description: () => i18n.t('description'),
};

/** The fields a person edits in the task form, in the order a comparison lists them. */
export const comparedFields = fieldOrder;
export type ComparedField = LoggedField;

/** A field's name on its own ("Status", "Due date"), capitalised as a table cell is. */
export function fieldLabel(field: LoggedField): string {
  const name = fieldNames[field]();
  return name.charAt(0).toLocaleUpperCase() + name.slice(1);
}

/** A field's value as a person reads it ("In progress", "nobody", a local date). */
export function describeValue(field: LoggedField, value: unknown): string {
  return show(field, value);
}

/** "status In progress → Done": each field that differs between two versions of a task. */
export function describeDifferences(before: Task, after: Task): string[] {
  return fieldOrder
    .filter((field) => before[field] !== after[field])
    .map((field) =>
      field === 'description'
        ? i18n.t('the description')
        : i18n.t('{{field}} {{was}} → {{now}}', {
            field: fieldNames[field](),
            was: show(field, before[field]),
            now: show(field, after[field]),
          }),
    );
}

/** "just now", "2 min ago", "3 h ago", "yesterday", then the date: when a change happened. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return i18n.t('just now');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return i18n.t('{{count}} min ago', { count: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 24) return i18n.t('{{count}} h ago', { count: hours });
  const days = Math.round(hours / 24);
  if (days === 1) return i18n.t('yesterday');
  if (days < 7) return i18n.t('{{count}} days ago', { count: days });
  return formatDateTime(iso);
}
