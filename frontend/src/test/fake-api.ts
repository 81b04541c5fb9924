import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { apiBaseUrl } from '../config';
import type { Project } from '../features/projects/project.types';
import type { Task, TaskChange } from '../features/tasks/task.types';

/** The API's address as the app resolves it, for handlers and for assertions on requested URLs. */
export const api = (path: string) => `${apiBaseUrl}${path}`;

/**
 * A server with accounts off answers every test that does not say otherwise, so that the tasks screens' tests
 * meet the app as it works without accounts (CONTRACT-ACCOUNTS.md, `AUTH_MODE=off`).
 */
export const server = setupServer(
  http.get(api('/auth/status'), () =>
    HttpResponse.json({ auth_mode: 'off', setup_required: false, registration: 'invite' }),
  ),
  http.post(api('/auth/refresh'), () =>
    HttpResponse.json({ statusCode: 404, error: 'Not Found', message: 'Cannot POST /auth/refresh' }, { status: 404 }),
  ),
  // With accounts on, the live updates ask for a ticket before opening the (fake) event stream.
  http.post(api('/tasks/events/ticket'), () => HttpResponse.json({ ticket: 'ticket-1', expires_in: 60 }, { status: 201 })),
  // Projects and labels: the default project and no label, unless a test serves others.
  http.get(api('/projects'), () => HttpResponse.json([generalProject])),
  http.get(api('/labels'), () => HttpResponse.json([])),
  // With accounts on, the header's inbox bell asks how many notifications are unread: none unless a test says.
  http.get(api('/notifications/unread-count'), () => HttpResponse.json({ unread: 0 })),
  // The edit dialog's history: empty unless a test serves one.
  http.get(api('/tasks/:id/history'), () => HttpResponse.json([], { headers: { 'X-Total-Count': '0' } })),
);

let counter = 0;

/** The default project every database has after the projects migration. */
export const generalProject: Project = {
  id: '20000000-0000-4000-8000-000000000001',
  key: 'TF',
  name: 'General',
  description: null,
  default: true,
  archived: false,
  task_count: 0,
  created_at: '2026-11-01T09:00:00.000Z',
  updated_at: '2026-11-01T09:00:00.000Z',
};

export function makeTask(overrides: Partial<Task> = {}): Task {
  counter += 1;
  const stamp = new Date(Date.UTC(2026, 10, 1, 9, 0, counter)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    title: `Task ${counter}`,
    description: null,
    status: 'todo',
    priority: 'medium',
    assignee: null,
    due_date: null,
    created_at: stamp,
    updated_at: stamp,
    created_by: null,
    updated_by: null,
    project_id: generalProject.id,
    number: counter,
    key: `TF-${counter}`,
    labels: [],
    assignee_id: null,
    assignee_user: null,
    comment_count: 0,
    ...overrides,
  };
}

/**
 * An in-memory GET /tasks that filters and pages like the contract says, and records the query of every call
 * so that tests can assert what the app asked for.
 */
export function serveTaskList(tasks: Task[]) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(api('/tasks'), ({ request }) => {
      const params = new URL(request.url).searchParams;
      queries.push(params);
      const q = params.get('q')?.toLowerCase();
      const matching = tasks.filter(
        (task) =>
          (!params.get('status') || task.status === params.get('status')) &&
          (!params.get('priority') || task.priority === params.get('priority')) &&
          (!params.get('assignee') || task.assignee === params.get('assignee')) &&
          (!q || task.title.toLowerCase().includes(q) || (task.description ?? '').toLowerCase().includes(q)),
      );
      const skip = Number(params.get('skip') ?? 0);
      const limit = Number(params.get('limit') ?? 100);
      return HttpResponse.json(matching.slice(skip, skip + limit), {
        headers: { 'X-Total-Count': String(matching.length) },
      });
    }),
    http.get(api('/tasks/stats'), () =>
      HttpResponse.json({
        total: tasks.length,
        by_status: { todo: 0, in_progress: 0, done: 0 },
        by_priority: { low: 0, medium: 0, high: 0 },
        overdue: 0,
      }),
    ),
  );
  return queries;
}

let cursor = 0;

/**
 * One entry of the change log, as the history and the live stream send it: `task` is the task after the change
 * (null for a deletion); `fields` lists the changed fields' old and new values.
 */
export function makeChange(
  kind: TaskChange['kind'],
  task: Task,
  options: { fields?: Record<string, [unknown, unknown]>; user?: TaskChange['user']; changedAt?: string } = {},
): TaskChange {
  cursor += 1;
  const changes = Object.fromEntries(
    Object.entries(options.fields ?? {}).map(([field, [old, next]]) => [field, { old, new: next }]),
  ) as TaskChange['changes'];
  return {
    cursor: String(cursor),
    task_id: task.id,
    kind,
    changes,
    user: options.user ?? null,
    changed_at: options.changedAt ?? (kind === 'deleted' ? new Date().toISOString() : task.updated_at),
    task: kind === 'deleted' ? null : task,
  };
}

/** The task after someone changed `changes` in it, one second later than its last version. */
export function changedTask(task: Task, changes: Partial<Task>): Task {
  return { ...task, ...changes, updated_at: new Date(Date.parse(task.updated_at) + 1000).toISOString() };
}
