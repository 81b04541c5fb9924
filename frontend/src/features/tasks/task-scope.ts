import { createContext, useContext } from 'react';
import type { TaskListQuery } from './task.types';

/**
 * The filters a page fixes for every list, board column, count and statistic it shows: a project's page, the
 * person's own tasks. The filters a person picks come on top, from the URL.
 */
export type TaskScope = Pick<TaskListQuery, 'project_id' | 'assignee_id'>;

export const TaskScopeContext = createContext<TaskScope>({});

export function useTaskScope(): TaskScope {
  return useContext(TaskScopeContext);
}
