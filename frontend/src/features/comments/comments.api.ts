import { apiClient, request } from '../../lib/api-client';
import type { Comment } from './comment.types';

export interface CommentPage {
  /** Oldest first. */
  comments: Comment[];
  /** From X-Next-Cursor: present while later comments follow. */
  nextCursor: string | null;
  /** Comments on the task, from X-Total-Count. */
  total: number;
}

export async function listComments(taskId: string, cursor: string | null, limit: number, signal?: AbortSignal): Promise<CommentPage> {
  const query = cursor === null ? { limit } : { limit, cursor };
  const { data, response } = await request(
    apiClient.GET('/tasks/{id}/comments', { params: { path: { id: taskId }, query }, signal }),
  );
  const total = response.headers.get('X-Total-Count');
  return { comments: data, nextCursor: response.headers.get('X-Next-Cursor'), total: total === null ? data.length : Number(total) };
}

export async function createComment(taskId: string, body: string): Promise<Comment> {
  return (await request(apiClient.POST('/tasks/{id}/comments', { params: { path: { id: taskId } }, body: { body } }))).data;
}

export async function updateComment(taskId: string, commentId: string, body: string): Promise<Comment> {
  return (
    await request(
      apiClient.PATCH('/tasks/{id}/comments/{commentId}', { params: { path: { id: taskId, commentId } }, body: { body } }),
    )
  ).data;
}

export async function deleteComment(taskId: string, commentId: string): Promise<void> {
  await request(apiClient.DELETE('/tasks/{id}/comments/{commentId}', { params: { path: { id: taskId, commentId } } }));
}
