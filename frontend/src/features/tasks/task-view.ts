import {
  taskPriorities,
  taskSortKeys,
  taskStatuses,
  type SortOrder,
  type TaskListQuery,
  type TaskPriority,
  type TaskSortKey,
  type TaskStatus,
} from './task.types';
import { withFilters } from './task-scope';

export type ViewMode = 'list' | 'board' | 'stats';
export const pageSizes = [10, 20, 50, 100] as const;

/** Everything a person chose on the tasks screens; it round-trips through the URL. */
export interface TaskViewState {
  view: ViewMode;
  status?: TaskStatus;
  priority?: TaskPriority;
  assignee?: string;
  /** A label id: tasks carrying it. */
  label?: string;
  /** A member's id, `me` or `none`. */
  assigneeId?: string;
  q?: string;
  sort: TaskSortKey;
  order: SortOrder;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export const defaultView: TaskViewState = {
  view: 'list',
  sort: 'created_at',
  order: 'desc',
  page: 1,
  pageSize: 20,
};

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : undefined;
}

/**
 * Reads the state from a query string. Values the API would refuse with 422 (a hand-edited or outdated link)
 * fall back to the defaults instead of turning the whole screen into an error.
 */
export function parseTaskView(search: string): TaskViewState {
  const params = new URLSearchParams(search);
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const pageSize = positiveInt(params.get('limit'));
  return {
    view: pick(params.get('view'), ['list', 'board', 'stats'] as const) ?? defaultView.view,
    status: pick(params.get('status'), taskStatuses),
    priority: pick(params.get('priority'), taskPriorities),
    assignee: text('assignee'),
    label: text('label'),
    assigneeId: text('assignee_id'),
    q: text('q'),
    sort: pick(params.get('sort'), taskSortKeys) ?? defaultView.sort,
    order: pick(params.get('order'), ['asc', 'desc'] as const) ?? defaultView.order,
    page: positiveInt(params.get('page')) ?? defaultView.page,
    pageSize: pageSizes.find((size) => size === pageSize) ?? defaultView.pageSize,
  };
}

/** Writes the state as a query string, leaving defaults out so that links stay short. */
export function serializeTaskView(state: TaskViewState): string {
  const params = new URLSearchParams();
  if (state.view !== defaultView.view) params.set('view', state.view);
  if (state.status) params.set('status', state.status);
  if (state.priority) params.set('priority', state.priority);
  if (state.assignee) params.set('assignee', state.assignee);
  if (state.label) params.set('label', state.label);
  if (state.assigneeId) params.set('assignee_id', state.assigneeId);
  if (state.q) params.set('q', state.q);
  if (state.sort !== defaultView.sort) params.set('sort', state.sort);
  if (state.order !== defaultView.order) params.set('order', state.order);
  if (state.page !== defaultView.page) params.set('page', String(state.page));
  if (state.pageSize !== defaultView.pageSize) params.set('limit', String(state.pageSize));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The filters of GET /tasks, without paging: shared by the list and each board column. */
export function toFilterQuery(state: TaskViewState): TaskListQuery {
  const query: TaskListQuery = { sort: state.sort, order: state.order };
  if (state.status) query.status = state.status;
  if (state.priority) query.priority = state.priority;
  if (state.assignee) query.assignee = state.assignee;
  if (state.q) query.q = state.q;
  return withFilters(query, { label_ids: state.label, assignee_id: state.assigneeId });
}

export function toListQuery(state: TaskViewState): TaskListQuery {
  return { ...toFilterQuery(state), skip: (state.page - 1) * state.pageSize, limit: state.pageSize };
}

/** Every filter off, for "Clear filters". */
export const noFilters: Partial<TaskViewState> = {
  status: undefined,
  priority: undefined,
  assignee: undefined,
  label: undefined,
  assigneeId: undefined,
  q: undefined,
};

export function hasFilters(state: TaskViewState): boolean {
  return Boolean(state.status || state.priority || state.assignee || state.label || state.assigneeId || state.q);
}
