import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
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
  type VersionedTask,
} from './tasks.api';
import { optimisticLists } from './optimistic-update';
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

export interface CreateTaskVariables {
  body: TaskCreate;
  /** Aborted when the person cancels: the request stops and is not sent again. */
  signal?: AbortSignal;
}

export function useCreateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, signal }: CreateTaskVariables) => createTask(body, signal),
    // Sent at once even offline, so that it fails and says so, rather than waiting paused behind the person's back
    // and creating the task when the connection returns, after they may have cancelled.
    networkMode: 'always',
    onSuccess: ({ task }) => rememberOwnWrite(task),
    onSettled: () => invalidateAfterWrite(queryClient),
  });
}

export interface UpdateTaskVariables {
  id: string;
  changes: TaskUpdate;
  etag?: string | null;
}

/** The key of status changes from the list and the board, whose cards show them pending or failed. */
export const moveMutationKey = ['tasks', 'move'] as const;

interface UpdateContext {
  /** The cached lists before the optimistic change, to put back if the write fails. */
  previous: [QueryKey, TaskPage | undefined][];
}

/** A task update; with `{ move: true }`, a status change whose pending and failed states the cards show. */
export function useUpdateTask({ move = false }: { move?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useMutation<VersionedTask, Error, UpdateTaskVariables, UpdateContext>({
    mutationKey: move ? moveMutationKey : undefined,
    mutationFn: ({ id, changes, etag }: UpdateTaskVariables) => updateTask(id, changes, etag),
    // Sent at once even offline, so that it fails visibly (and is put back) instead of waiting paused.
    networkMode: 'always',
    onSuccess: ({ task }) => rememberOwnWrite(task),
    // Moving a card should look instant and land where it belongs: the task leaves its old column's cached page and
    // joins its new one at its sorted place; the refetch below replaces this guess with what the server stored.
    onMutate: async ({ id, changes }: UpdateTaskVariables) => {
      await queryClient.cancelQueries({ queryKey: taskKeys.lists });
      const previous = queryClient.getQueriesData<TaskPage>({ queryKey: taskKeys.lists });
      const lists = previous.map(([key, page]) => [(key[2] ?? {}) as TaskListQuery, page] as const);
      for (const [index, page] of optimisticLists(lists, id, changes)) queryClient.setQueryData(previous[index][0], page);
      return { previous };
    },
    onError: (_error, _variables, context) => {
      for (const [key, page] of context?.previous ?? []) queryClient.setQueryData(key, page);
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
