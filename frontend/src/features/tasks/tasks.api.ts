import { apiClient, request } from '../../lib/api-client';
import type { Task, TaskCreate, TaskListQuery, TaskStats, TaskUpdate } from './task.types';

export interface TaskPage {
  tasks: Task[];
  /** Tasks matching the filters across all pages, from X-Total-Count. */
  total: number;
}

export interface VersionedTask {
  task: Task;
  etag: string | null;
}

export async function listTasks(query: TaskListQuery, signal?: AbortSignal): Promise<TaskPage> {
  const { data, response } = await request(apiClient.GET('/tasks', { params: { query }, signal }));
  const header = response.headers.get('X-Total-Count');
  return { tasks: data, total: header === null ? data.length : Number(header) };
}

export async function getTask(id: string, signal?: AbortSignal): Promise<VersionedTask> {
  const { data, response } = await request(apiClient.GET('/tasks/{id}', { params: { path: { id } }, signal }));
  return { task: data, etag: response.headers.get('ETag') };
}

export async function createTask(body: TaskCreate): Promise<VersionedTask> {
  const { data, response } = await request(apiClient.POST('/tasks', { body }));
  return { task: data, etag: response.headers.get('ETag') };
}

/** Partial update; with `etag` the server refuses (412) when someone else changed the task since it was read. */
export async function updateTask(id: string, body: TaskUpdate, etag?: string | null): Promise<VersionedTask> {
  const { data, response } = await request(
    apiClient.PATCH('/tasks/{id}', {
      params: { path: { id } },
      headers: etag ? { 'If-Match': etag } : undefined,
      body,
    }),
  );
  return { task: data, etag: response.headers.get('ETag') };
}

export async function deleteTask(id: string, options: { keepalive?: boolean } = {}): Promise<void> {
  await request(apiClient.DELETE('/tasks/{id}', { params: { path: { id } }, keepalive: options.keepalive }));
}

export async function getTaskStats(signal?: AbortSignal): Promise<TaskStats> {
  const { data } = await request(apiClient.GET('/tasks/stats', { signal }));
  return data;
}
