import type { QueryClient } from '@tanstack/react-query';
import type { TaskPage, VersionedTask } from './tasks.api';
import type { Task, TaskChange, TaskListQuery } from './task.types';
import { isOwnWrite } from './own-writes';
import { taskKeys } from './use-tasks';

/** The fields of a task that the change log records (LOGGED_FIELDS on the server). */
type LoggedField = 'title' | 'description' | 'status' | 'priority' | 'assignee' | 'due_date';
type Values = Partial<Record<LoggedField, unknown>>;

const exactFilters = ['status', 'priority', 'assignee'] as const;
/** Fields that decide a task's place in each sort order; created_at never changes. */
const sortFields: Record<NonNullable<TaskListQuery['sort']>, readonly string[]> = {
  created_at: [],
  updated_at: ['updated_at'],
  due_date: ['due_date'],
  priority: ['priority'],
  status: ['status'],
  title: ['title'],
  // A move to another project changes the key.
  key: ['project_id'],
};
/** Fields that decide whether a task lands in the statistics' counts (overdue: status and due date). */
const statsFields = ['status', 'priority', 'due_date'];

/** The task's logged values before the change: what it is now, with the changed fields' old values. */
function valuesBefore(change: TaskChange): Values | null {
  if (change.kind === 'created') return null;
  const before: Values = change.kind === 'updated' && change.task ? { ...change.task } : {};
  // A deletion lists only the fields that were not null: the others were null.
  if (change.kind === 'deleted') for (const field of exactFilters) before[field] = null;
  for (const [field, value] of Object.entries(change.changes)) before[field as LoggedField] = value.old;
  return before;
}

/** Whether the filters that can be checked exactly here (not the text search) let the task in. */
function passesExactFilters(query: TaskListQuery, values: Values | null): boolean {
  return values !== null && exactFilters.every((field) => query[field] === undefined || query[field] === values[field]);
}

/** The fields of the task an update changed; updated_at changes with every update, even one that changes no value. */
function changedFields(change: TaskChange): string[] {
  return [...Object.keys(change.changes), 'updated_at'];
}

type Effect = 'none' | 'patch' | 'refetch';

/**
 * What a change does to one cached page of GET /tasks. `patch` is exact: the task stays where it is (same filters
 * passed, same sort position), so replacing it in place is what the server would answer. Anything that may move a
 * task into, out of or within the page, or change the total, needs the page again.
 */
function effectOnList(query: TaskListQuery, page: TaskPage, change: TaskChange): Effect {
  const onPage = page.tasks.some((task) => task.id === change.task_id);
  const before = valuesBefore(change);
  const after = change.task;
  if (!passesExactFilters(query, before) && !passesExactFilters(query, after)) return 'none';
  if (change.kind !== 'updated') return 'refetch';
  const relevant = new Set<string>([...exactFilters.filter((field) => query[field] !== undefined), ...sortFields[query.sort ?? 'created_at']]);
  if (query.q !== undefined) relevant.add('title').add('description');
  if (changedFields(change).some((field) => relevant.has(field))) return 'refetch';
  return onPage ? 'patch' : 'none';
}

function isNewer(task: Task, than: Task): boolean {
  return Date.parse(task.updated_at) > Date.parse(than.updated_at);
}

/**
 * Applies a batch of changes from the live stream to the cache: each task's latest version replaces the cached one
 * (lists, board columns, a detail); lists and statistics whose membership or counts may have moved are returned to
 * be refetched, each once whatever the number of changes.
 */
export function applyTaskChanges(queryClient: QueryClient, changes: readonly TaskChange[]): Set<string> {
  const refetch = new Set<string>();
  const cache = queryClient.getQueryCache();

  for (const query of cache.findAll({ queryKey: taskKeys.lists })) {
    const listQuery = (query.queryKey[2] ?? {}) as TaskListQuery;
    const page = query.state.data as TaskPage | undefined;
    if (!page) continue;
    const latest = new Map<string, Task>();
    for (const change of changes) {
      const effect = effectOnList(listQuery, page, change);
      // This page's own write: the mutation that made it already refetches, once.
      if (effect === 'refetch' && !isOwnWrite(change)) refetch.add(query.queryHash);
      // Patched even when refetched, so that a card moved on the board shows in its new column at once.
      if (effect !== 'none' && change.task) latest.set(change.task_id, change.task);
    }
    if (latest.size > 0) {
      queryClient.setQueryData<TaskPage>(query.queryKey, (current) =>
        current && {
          ...current,
          tasks: current.tasks.map((task) => {
            const next = latest.get(task.id);
            return next && isNewer(next, task) ? next : task;
          }),
        },
      );
    }
  }

  const statsChanged = changes.some(
    (change) => !isOwnWrite(change) && (change.kind !== 'updated' || Object.keys(change.changes).some((field) => statsFields.includes(field))),
  );
  if (statsChanged) for (const stats of cache.findAll({ queryKey: taskKeys.stats })) refetch.add(stats.queryHash);

  for (const change of changes) {
    const key = taskKeys.detail(change.task_id);
    const history = cache.find({ queryKey: taskKeys.history(change.task_id), exact: true });
    if (history && !isOwnWrite(change)) refetch.add(history.queryHash);
    if (change.task) {
      const task = change.task;
      // The tag stays the one the task was read with: a save from this copy meets 412 rather than overwriting.
      queryClient.setQueryData<VersionedTask>(key, (current) =>
        current && isNewer(task, current.task) ? { ...current, task } : current,
      );
    } else {
      queryClient.removeQueries({ queryKey: key, exact: true, type: 'inactive' });
      // Whoever has it open learns that it is gone (404) from the server.
      const open = cache.find({ queryKey: key, exact: true });
      if (open) refetch.add(open.queryHash);
    }
  }
  return refetch;
}

/** Waits this long for more changes before applying them: one render and one refetch per batch, not per change. */
export const batchMs = 100;

/**
 * Collects changes from the stream and applies them every `batchMs`. A query is refetched at most once at a time:
 * while its refetch is running, later changes wait for it to finish rather than cancel it and start over, so that a
 * burst of changes costs each visible list one or two requests.
 */
export class TaskChangeBatcher {
  private queue: TaskChange[] = [];
  private waitingRefetch = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly onApplied: (changes: TaskChange[]) => void = () => undefined,
  ) {}

  add(change: TaskChange): void {
    this.queue.push(change);
    this.schedule();
  }

  /** Everything cached may be out of date (the stream missed changes): refetch it, once. */
  refetchAll(): void {
    for (const query of this.queryClient.getQueryCache().findAll({ queryKey: taskKeys.all })) {
      this.waitingRefetch.add(query.queryHash);
    }
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.waitingRefetch.clear();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), batchMs);
  }

  private flush(): void {
    this.timer = undefined;
    const changes = this.queue;
    this.queue = [];
    if (changes.length > 0) {
      for (const hash of applyTaskChanges(this.queryClient, changes)) this.waitingRefetch.add(hash);
      this.onApplied(changes);
    }

    const cache = this.queryClient.getQueryCache();
    const now = new Set<string>();
    for (const hash of this.waitingRefetch) {
      const query = cache.get(hash);
      if (!query) this.waitingRefetch.delete(hash);
      else if (query.state.fetchStatus !== 'fetching') {
        now.add(hash);
        this.waitingRefetch.delete(hash);
      }
    }
    if (now.size > 0) void this.queryClient.invalidateQueries({ predicate: (query) => now.has(query.queryHash) });
    // Refetches still running when the batch came: their turn comes when they finish.
    if (this.waitingRefetch.size > 0) this.schedule();
  }
}
