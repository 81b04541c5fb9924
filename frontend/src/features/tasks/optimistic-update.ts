import type { TaskPage } from './tasks.api';
import type { Task, TaskListQuery, TaskUpdate } from './task.types';

const statusRank = { todo: 0, in_progress: 1, done: 2 } as const;
const priorityRank = { low: 0, medium: 1, high: 2 } as const;

type SortValue = number | string | null;

function sortValue(task: Task, sort: NonNullable<TaskListQuery['sort']>): SortValue[] {
  switch (sort) {
    case 'created_at':
    case 'updated_at':
      return [Date.parse(task[sort])];
    case 'due_date':
      return [task.due_date ? Date.parse(task.due_date) : null];
    case 'title':
      return [task.title];
    case 'priority':
      return [priorityRank[task.priority]];
    case 'status':
      return [statusRank[task.status]];
    case 'key':
      return [task.key?.replace(/-\d+$/, '') ?? '', task.number ?? 0];
  }
}

/**
 * The server's order of GET /tasks (tasks.query.ts: the sort key, then id, both in `order`; no due date last in
 * either order), for placing a task among cached ones. Titles compare by code unit, which may differ from the
 * database's collation; the refetch after the write settles such a case.
 */
export function compareTasks(a: Task, b: Task, query: TaskListQuery): number {
  const sort = query.sort ?? 'created_at';
  const direction = query.order === 'desc' ? -1 : 1;
  const [left, right] = [sortValue(a, sort), sortValue(b, sort)];
  for (let index = 0; index < left.length; index += 1) {
    const [x, y] = [left[index], right[index]];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  }
  return (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * direction;
}

/** A list's filters without its status and paging: the lists of one board share them. */
function siblingKey(query: TaskListQuery): string {
  const rest: Record<string, unknown> = { ...query };
  for (const field of ['status', 'skip', 'limit']) delete rest[field];
  return JSON.stringify(rest, Object.keys(rest).sort());
}

export type CachedList = readonly [query: TaskListQuery, page: TaskPage | undefined];

/**
 * The cached lists as the server will answer them after `changes` to a task, as far as that can be known here: the
 * task changed in place; moved out of a list its new status leaves (its total one less) and into the lists of the
 * same filters that its new status joins, at its sorted place (one more), when that place is on the cached page.
 * Returns the pages that change, by index.
 */
export function optimisticLists(lists: readonly CachedList[], id: string, changes: TaskUpdate): Map<number, TaskPage> {
  const result = new Map<number, TaskPage>();
  const found = lists.flatMap(([query, page]) => {
    const task = page?.tasks.find((candidate) => candidate.id === id);
    return task ? [{ query, task }] : [];
  });
  if (found.length === 0) return result;
  const updated = { ...found[0].task, ...changes } as Task;
  const siblings = new Set(found.map(({ query }) => siblingKey(query)));

  lists.forEach(([query, page], index) => {
    if (!page) return;
    const onPage = page.tasks.some((task) => task.id === id);
    const leaves = query.status !== undefined && query.status !== updated.status;
    if (onPage && leaves) {
      result.set(index, { tasks: page.tasks.filter((task) => task.id !== id), total: Math.max(0, page.total - 1) });
    } else if (onPage) {
      result.set(index, { ...page, tasks: page.tasks.map((task) => (task.id === id ? updated : task)) });
    } else if (query.status === updated.status && siblings.has(siblingKey(query))) {
      const at = page.tasks.findIndex((task) => compareTasks(updated, task, query) < 0);
      const position = at === -1 ? page.tasks.length : at;
      const skip = query.skip ?? 0;
      // Before the first task of a later page, or after the last of a full one: it belongs to another page.
      const full = query.limit !== undefined && page.tasks.length >= query.limit;
      const tasks = (skip > 0 && position === 0) || (full && position === page.tasks.length)
        ? page.tasks
        : [...page.tasks.slice(0, position), updated, ...page.tasks.slice(position)].slice(0, query.limit ?? Infinity);
      result.set(index, { tasks, total: page.total + 1 });
    }
  });
  return result;
}
