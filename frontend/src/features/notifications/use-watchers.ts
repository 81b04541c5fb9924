import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listWatchers, unwatchTask, watchTask } from './notifications.api';

export const watcherKeys = {
  list: (taskId: string) => ['watchers', taskId] as const,
};

export function useWatchers(taskId: string) {
  return useQuery({ queryKey: watcherKeys.list(taskId), queryFn: ({ signal }) => listWatchers(taskId, signal) });
}

export function useSetWatching(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (watch: boolean) => (watch ? watchTask(taskId) : unwatchTask(taskId)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: watcherKeys.list(taskId) }),
  });
}
