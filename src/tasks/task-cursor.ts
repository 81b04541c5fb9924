import { parseTaskKey } from '../projects/project-key';
import { PRIORITY_ORDER, SortOrder, STATUS_ORDER, TaskSortKey } from './task.enums';

/**
 * Where a keyset page starts: right after the task with this id and this value of the sort key, in this sort
 * and order. Sent to clients as an opaque string (base64url of a JSON array), so the format may change.
 */
export interface TaskCursor {
  sort: TaskSortKey;
  order: SortOrder;
  /** The last task's sort value as the wire shows it (ISO timestamp, title, status or priority), or null. */
  value: string | null;
  id: string;
}

const SORT_KEYS = new Set<string>(Object.values(TaskSortKey));
const ORDERS = new Set<string>(Object.values(SortOrder));
const MAX_CURSOR_LENGTH = 2_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether `value` can be the sort value of a task for this sort key (so that the query cannot fail on it). */
function isSortValue(sort: TaskSortKey, value: string | null): boolean {
  switch (sort) {
    case TaskSortKey.DueDate:
      return value === null || (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)));
    case TaskSortKey.CreatedAt:
    case TaskSortKey.UpdatedAt:
      return value !== null && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case TaskSortKey.Status:
      return (STATUS_ORDER as readonly (string | null)[]).includes(value);
    case TaskSortKey.Priority:
      return (PRIORITY_ORDER as readonly (string | null)[]).includes(value);
    case TaskSortKey.Title:
      return typeof value === 'string';
    case TaskSortKey.Key:
      return value !== null && parseTaskKey(value) !== null;
  }
}

export function encodeTaskCursor(cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.id])).toString('base64url');
}

/** The cursor in `text`, or null when it is not one this API issued. */
export function decodeTaskCursor(text: string): TaskCursor | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return null;
  const [sort, order, value, id] = parsed as unknown[];
  if (typeof sort !== 'string' || !SORT_KEYS.has(sort) || typeof order !== 'string' || !ORDERS.has(order)) return null;
  if ((value !== null && typeof value !== 'string') || typeof id !== 'string') return null;
  if (!isSortValue(sort as TaskSortKey, value)) return null;
  return { sort: sort as TaskSortKey, order: order as SortOrder, value, id };
}
