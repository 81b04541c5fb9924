import { useInfiniteQuery, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { watcherKeys } from '../notifications/use-watchers';
import { taskKeys } from '../tasks/use-tasks';
import { createComment, deleteComment, listComments, updateComment } from './comments.api';
import type { Comment } from './comment.types';

export const commentKeys = {
  all: ['comments'] as const,
  thread: (taskId: string) => ['comments', taskId] as const,
};

const pageSize = 100;

/**
 * A task's whole thread, oldest first. The API pages forward from the oldest comment, so the newest are only
 * reached by following X-Next-Cursor to the end: every page is fetched, and the thread shows the last ones first.
 */
export function useCommentThread(taskId: string) {
  const thread = useInfiniteQuery({
    queryKey: commentKeys.thread(taskId),
    queryFn: ({ pageParam, signal }) => listComments(taskId, pageParam, pageSize, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = thread;
  // Keyed by the number of pages too: a page can arrive without a render that showed it being fetched.
  const pages = thread.data?.pages.length ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage, pages]);
  const comments: Comment[] = [];
  const seen = new Set<string>();
  for (const page of thread.data?.pages ?? []) {
    for (const comment of page.comments) {
      if (!seen.has(comment.id)) comments.push(comment);
      seen.add(comment.id);
    }
  }
  return { ...thread, comments, complete: thread.isSuccess && !hasNextPage };
}

/** After any comment write: the thread, the watchers (a commenter watches) and the history change. */
function useRefresh(taskId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: commentKeys.thread(taskId) }),
      queryClient.invalidateQueries({ queryKey: watcherKeys.list(taskId) }),
      queryClient.invalidateQueries({ queryKey: taskKeys.history(taskId) }),
    ]);
}

export function useCreateComment(taskId: string) {
  const refresh = useRefresh(taskId);
  return useMutation({ mutationFn: (body: string) => createComment(taskId, body), onSuccess: refresh });
}

export function useUpdateComment(taskId: string) {
  const refresh = useRefresh(taskId);
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: string }) => updateComment(taskId, id, body),
    onSuccess: refresh,
  });
}

export function useDeleteComment(taskId: string) {
  const refresh = useRefresh(taskId);
  return useMutation({ mutationFn: (id: string) => deleteComment(taskId, id), onSuccess: refresh });
}

/** Someone wrote on a task's thread (a comment.* event): its thread and watchers are read again. */
export function refreshComments(queryClient: QueryClient, taskId: string): void {
  void queryClient.invalidateQueries({ queryKey: commentKeys.thread(taskId) });
  void queryClient.invalidateQueries({ queryKey: watcherKeys.list(taskId) });
}
