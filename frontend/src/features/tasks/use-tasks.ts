import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { rememberOwnDelete, rememberOwnWrite } from './own-writes';
import {
  createTask,
  deleteTask,
  getTask,
  getTaskHistory,
  getTaskStats,
  listTasks,
  updateTask,
  type TaskPage,
} from './tasks.api';
import type { TaskCreate, TaskListQuery, TaskStatus, TaskUpdate } from './task.types';
import type { TaskScope } from './task-scope';

export const taskKeys = {
  all: ['tasks'] as const,
  lists: ['tasks', 'list'] as const,
  list: (query: TaskListQuery) => ['tasks', 'list', query] as const,
  detail: (id: string) => ['tasks', 'detail', id] as const,
  stats: ['tasks', 'stats'] as const,
  scopedStats: (scope: TaskScope) => ['tasks', 'stats', scope] as const,
  history: (id: string) => ['tasks', 'history', id] as const,
};

export const historyPageSize = 10;

export function useTaskPage(query: TaskListQuery) {
  return useQuery({
    queryKey: taskKeys.list(query),
    queryFn: ({ signal }) => listTasks(query, signal),
    // Keeps the current rows on screen while the next page or filter loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
}

/** One query per board column, so that each column has its own total. */
export function useTaskColumns(statuses: readonly TaskStatus[], query: TaskListQuery) {
  return useQueries({
    queries: statuses.map((status) => {
      const columnQuery = { ...query, status, skip: 0, limit: 100 };
      return {
        queryKey: taskKeys.list(columnQuery),
        queryFn: ({ signal }: { signal: AbortSignal }) => listTasks(columnQuery, signal),
        placeholderData: keepPreviousData,
      };
    }),
  });
}

export function useTask(id: string) {
  return useQuery({
    queryKey: taskKeys.detail(id),
    queryFn: ({ signal }) => getTask(id, signal),
    // An edit must start from the version the server has now, or its If-Match is stale from the start.
    staleTime: 0,
    gcTime: 0,
  });
}

export function useTaskStats(scope: TaskScope = {}) {
  return useQuery({ queryKey: taskKeys.scopedStats(scope), queryFn: ({ signal }) => getTaskStats(scope, signal) });
}

/** A task's history, newest first, a page at a time ("Show more" loads the next). */
export function useTaskHistory(id: string) {
  return useInfiniteQuery({
    queryKey: taskKeys.history(id),
    queryFn: ({ pageParam, signal }) => getTaskHistory(id, { skip: pageParam, limit: historyPageSize }, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((sum, page) => sum + page.changes.length, 0);
      return loaded < last.total && last.changes.length > 0 ? loaded : undefined;
    },
  });
}

/** What a task write may change besides the tasks: the projects' task counts. */
function invalidateAfterWrite(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: ['projects'] });
  return queryClient.invalidateQueries({ queryKey: taskKeys.all });
}

export function useCreateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TaskCreate) => createTask(body),
    onSuccess: ({ task }) => rememberOwnWrite(task),
    onSettled: () => invalidateAfterWrite(queryClient),
  });
}

export interface UpdateTaskVariables {
  id: string;
  changes: TaskUpdate;
  etag?: string | null;
}

export function useUpdateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes, etag }: UpdateTaskVariables) => updateTask(id, changes, etag),
    onSuccess: ({ task }) => rememberOwnWrite(task),
    // Moving a card should look instant; the refetch below replaces this guess with what the server stored.
    onMutate: async ({ id, changes }: UpdateTaskVariables) => {
      await queryClient.cancelQueries({ queryKey: taskKeys.lists });
      queryClient.setQueriesData<TaskPage>({ queryKey: taskKeys.lists }, (page) =>
        page
          ? { ...page, tasks: page.tasks.map((task) => (task.id === id ? { ...task, ...changes } as typeof task : task)) }
          : page,
      );
    },
    onSettled: () => invalidateAfterWrite(queryClient),
  });
}

export function useDeleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteTask(id),
    onMutate: (id: string) => rememberOwnDelete(id),
    onSettled: () => invalidateAfterWrite(queryClient),
  });
}
