import { apiClient, isNetworkError, request } from '../../lib/api-client';
import type { StreamTicket, Task, TaskChange, TaskCreate, TaskListQuery, TaskStats, TaskUpdate } from './task.types';
import { withFilters, type TaskScope } from './task-scope';

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

/** A fresh Idempotency-Key; crypto.randomUUID() needs a secure context, which a plain-http host is not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Creates a task. When the request fails on the network (the answer may or may not have been lost) it is sent once
 * more with the same Idempotency-Key, so that the server creates the task at most once; HTTP errors are final. An
 * aborted `signal` (the person cancelled) stops it, and nothing is sent again.
 */
export async function createTask(body: TaskCreate, signal?: AbortSignal): Promise<VersionedTask> {
  const header = { 'Idempotency-Key': newIdempotencyKey() };
  const send = () => request(apiClient.POST('/tasks', { body, params: { header }, signal }));
  let result;
  try {
    result = await send();
  } catch (error) {
    if (!isNetworkError(error) || signal?.aborted) throw error;
    result = await send();
  }
  return { task: result.data, etag: result.response.headers.get('ETag') };
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

export async function getTaskStats(scope: TaskScope, signal?: AbortSignal): Promise<TaskStats> {
  const { data } = await request(apiClient.GET('/tasks/stats', { params: { query: withFilters({}, scope) }, signal }));
  return data;
}

export interface TaskHistoryPage {
  /** Newest first. */
  changes: TaskChange[];
  /** Entries in the task's whole history, from X-Total-Count. */
  total: number;
}

/** A task's history, newest first; it stays readable after the task is deleted. */
export async function getTaskHistory(
  id: string,
  page: { skip: number; limit: number },
  signal?: AbortSignal,
): Promise<TaskHistoryPage> {
  const { data, response } = await request(
    apiClient.GET('/tasks/{id}/history', { params: { path: { id }, query: page }, signal }),
  );
  const header = response.headers.get('X-Total-Count');
  return { changes: data, total: header === null ? data.length : Number(header) };
}

/** Changes after a cursor; an ApiError 410 when the change log no longer reaches back that far. */
export async function getTaskChanges(since: string, limit: number, signal?: AbortSignal) {
  return (await request(apiClient.GET('/tasks/changes', { params: { query: { since, limit } }, signal }))).data;
}

/** A single-use ticket to open the event stream with (EventSource cannot send an Authorization header). */
export async function getStreamTicket(): Promise<StreamTicket> {
  return (await request(apiClient.POST('/tasks/events/ticket'))).data;
}
