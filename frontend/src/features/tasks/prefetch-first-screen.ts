import type { QueryClient } from '@tanstack/react-query';
import { currentPath, currentSearch } from '../../lib/navigation';
import { getTaskStats, listTasks } from './tasks.api';
import { taskStatuses } from './task.types';
import { parseTaskView, toFilterQuery, toListQuery } from './task-view';
import { taskKeys } from './use-tasks';

/**
 * Starts the requests the tasks screen at `/` will make, under the same query keys, so that the list (or the board's
 * columns) and the statistics load side by side while the app is still starting rather than one after the other.
 * Other pages load their own data as they render.
 */
export function prefetchFirstScreen(queryClient: QueryClient): void {
  if (currentPath() !== '/') return;
  const state = parseTaskView(currentSearch());
  if (state.view === 'list') {
    const query = toListQuery(state);
    void queryClient.prefetchQuery({ queryKey: taskKeys.list(query), queryFn: ({ signal }) => listTasks(query, signal) });
  } else if (state.view === 'board') {
    for (const status of taskStatuses) {
      const query = { ...toFilterQuery({ ...state, status: undefined }), status, skip: 0, limit: 100 };
      void queryClient.prefetchQuery({ queryKey: taskKeys.list(query), queryFn: ({ signal }) => listTasks(query, signal) });
    }
  }
  void queryClient.prefetchQuery({ queryKey: taskKeys.scopedStats({}), queryFn: ({ signal }) => getTaskStats({}, signal) });
}
