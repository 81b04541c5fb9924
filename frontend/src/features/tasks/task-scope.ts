import { createContext, useContext } from 'react';
import type { TaskListQuery } from './task.types';

/**
 * The filters a page fixes for every list, board column, count and statistic it shows: a project's page, the
 * person's own tasks. The filters a person picks come on top, from the URL.
 */
export interface TaskScope {
  /** A project's id or key. */
  project_id?: string;
  /** A member's id, `me` or `none`. */
  assignee_id?: string;
}

/**
 * A query with the scope's filters (and more, from the URL) added. The OpenAPI document types the `assignee_id`
 * query parameter as an object, though the API takes a string; the cast stops at that one field.
 */
export function withFilters<Query extends Omit<TaskListQuery, 'assignee_id'>>(
  query: Query,
  filters: TaskScope & { label_ids?: string },
): Query {
  return { ...query, ...(filters as Omit<TaskListQuery, 'assignee_id'>) };
}

export const TaskScopeContext = createContext<TaskScope>({});

export function useTaskScope(): TaskScope {
  return useContext(TaskScopeContext);
}
