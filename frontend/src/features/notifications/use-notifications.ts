import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { getUnreadCount, listNotifications, markRead } from './notifications.api';

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  list: ['notifications', 'list'] as const,
};

export function useUnreadCount(enabled: boolean) {
  return useQuery({ queryKey: notificationKeys.unread, queryFn: ({ signal }) => getUnreadCount(signal), enabled });
}

export function useNotifications() {
  return useInfiniteQuery({
    queryKey: notificationKeys.list,
    queryFn: ({ pageParam, signal }) => listNotifications(pageParam, 30, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (which: string[] | 'all') => markRead(which),
    onSettled: () => refreshNotifications(queryClient),
  });
}

/** A notification arrived on the stream (or some were marked read): the count and the inbox are read again. */
export function refreshNotifications(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
}
