import { apiClient, request } from '../../lib/api-client';
import type { Notification, Watcher } from './notification.types';

export interface NotificationPage {
  /** Newest first. */
  notifications: Notification[];
  /** From X-Next-Cursor: present while older ones follow. */
  nextCursor: string | null;
}

export async function listNotifications(cursor: string | null, limit: number, signal?: AbortSignal): Promise<NotificationPage> {
  const query = cursor === null ? { limit } : { limit, cursor };
  const { data, response } = await request(apiClient.GET('/notifications', { params: { query }, signal }));
  return { notifications: data, nextCursor: response.headers.get('X-Next-Cursor') };
}

export async function getUnreadCount(signal?: AbortSignal): Promise<number> {
  return (await request(apiClient.GET('/notifications/unread-count', { signal }))).data.unread;
}

/** Marks these notifications read, or all of the person's with `'all'`. */
export async function markRead(which: string[] | 'all'): Promise<void> {
  const body = which === 'all' ? { all: true as const } : { ids: which };
  await request(apiClient.POST('/notifications/read', { body }));
}

export async function listWatchers(taskId: string, signal?: AbortSignal): Promise<Watcher[]> {
  return (await request(apiClient.GET('/tasks/{id}/watchers', { params: { path: { id: taskId } }, signal }))).data;
}

export async function watchTask(taskId: string): Promise<void> {
  await request(apiClient.PUT('/tasks/{id}/watch', { params: { path: { id: taskId } } }));
}

export async function unwatchTask(taskId: string): Promise<void> {
  await request(apiClient.DELETE('/tasks/{id}/watch', { params: { path: { id: taskId } } }));
}
