import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { FakeEventSource } from '../../../test/fake-event-source';
import { renderApp } from '../../../test/render-app';
import type { Notification } from '../notification.types';

const ada = makeUser({ name: 'Ada' });
const bob = makeUser({ name: 'Bob' });

let counter = 0;
function makeNotification(kind: Notification['kind'], overrides: Partial<Notification> = {}): Notification {
  counter += 1;
  return {
    id: `40000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    kind,
    task: { id: '00000000-0000-4000-8000-000000000012', key: 'TF-12', title: 'Fix login' },
    actor: { id: ada.id, name: 'Ada' },
    comment_id: null,
    webhook: null,
    created_at: new Date(Date.now() - counter * 60_000).toISOString(),
    read_at: null,
    ...overrides,
  };
}

/** The signed-in person's notifications; POST /notifications/read marks them as the server would. */
function serveNotifications(items: Notification[]) {
  const reads: unknown[] = [];
  server.use(
    http.get(api('/users'), () => HttpResponse.json([ada, bob])),
    http.get(api('/notifications/unread-count'), () =>
      HttpResponse.json({ unread: items.filter((item) => item.read_at === null).length }),
    ),
    http.get(api('/notifications'), () => HttpResponse.json(items)),
    http.post(api('/notifications/read'), async ({ request }) => {
      const body = (await request.json()) as { ids?: string[]; all?: boolean };
      reads.push(body);
      for (const item of items) if (body.all || body.ids?.includes(item.id)) item.read_at ??= new Date().toISOString();
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return reads;
}

describe('The inbox', () => {
  it('shows the unread count in the header and raises it when a notification arrives live', { timeout: 15_000 }, async () => {
    serveAccounts({ user: bob });
    serveTaskList([]);
    const items = [makeNotification('assigned')];
    serveNotifications(items);
    renderApp('/');

    expect(await screen.findByRole('link', { name: 'Inbox, 1 unread' })).toHaveAttribute('href', '/inbox');
    await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
    FakeEventSource.latest().open();

    const mention = makeNotification('mentioned');
    items.unshift(mention);
    FakeEventSource.latest().emitNamed('notification', mention);
    expect(await screen.findByRole('link', { name: 'Inbox, 2 unread' })).toBeInTheDocument();
  });

  it('lists notifications in words, each opening its task (not a deleted one)', { timeout: 15_000 }, async () => {
    serveAccounts({ user: bob });
    const items = [
      makeNotification('mentioned', {
        task: { id: '00000000-0000-4000-8000-000000000009', key: 'TF-9', title: 'Docs' },
        comment_id: '30000000-0000-4000-8000-000000000077',
      }),
      makeNotification('assigned'),
      makeNotification('due_soon', { actor: null }),
      makeNotification('task_deleted', { actor: { id: ada.id, name: 'Ada' }, read_at: '2026-12-01T09:00:00.000Z' }),
    ];
    serveNotifications(items);
    renderApp('/inbox');

    await screen.findByRole('heading', { name: 'Inbox' });
    const list = await screen.findByRole('list', { name: 'Inbox' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('a, span:not(.visually-hidden)')?.textContent)).toEqual([
      'Ada mentioned you in TF-9 Docs',
      'Ada assigned you TF-12 Fix login',
      'TF-12 Fix login is due within 24 hours',
      'Ada deleted TF-12 Fix login',
    ]);
    // A mention opens the task at its comment.
    expect(within(rows[0]).getByRole('link')).toHaveAttribute('href', '/tasks/TF-9#comment-30000000-0000-4000-8000-000000000077');
    expect(within(rows[1]).getByRole('link')).toHaveAttribute('href', '/tasks/TF-12');
    // A deleted task has no page to open.
    expect(within(rows[3]).queryByRole('link')).not.toBeInTheDocument();
  });

  it('marks one notification read, then all of them', { timeout: 15_000 }, async () => {
    serveAccounts({ user: bob });
    const items = [makeNotification('mentioned'), makeNotification('assigned'), makeNotification('commented')];
    const reads = serveNotifications(items);
    const { user } = renderApp('/inbox');
    const list = await screen.findByRole('list', { name: 'Inbox' });
    const rows = within(list).getAllByRole('listitem');
    expect(await screen.findByRole('link', { name: 'Inbox, 3 unread' })).toBeInTheDocument();

    await user.click(within(rows[1]).getByRole('button', { name: 'Mark as read: Ada assigned you TF-12 Fix login' }));
    await waitFor(() => expect(reads).toEqual([{ ids: [items[1].id] }]));
    expect(await screen.findByRole('link', { name: 'Inbox, 2 unread' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Mark all as read' }));
    await waitFor(() => expect(reads.at(-1)).toEqual({ all: true }));
    expect(await screen.findByRole('link', { name: 'Inbox' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mark all as read' })).toHaveAttribute('aria-disabled', 'true');
  });

  it('opens the Webhooks page from a webhook turned off', async () => {
    serveAccounts({ user: { ...bob, role: 'admin' } });
    serveNotifications([
      makeNotification('webhook_disabled', { task: null, actor: null, webhook: { id: '50000000-0000-4000-8000-000000000001', url: 'https://hooks.example.com' } }),
    ]);
    renderApp('/inbox');
    const list = await screen.findByRole('list', { name: 'Inbox' });
    expect(within(list).getByRole('link', { name: 'A webhook was turned off after failing repeatedly' })).toHaveAttribute('href', '/webhooks');
  });

  it('does not exist with accounts off', async () => {
    serveTaskList([]);
    renderApp('/inbox');
    expect(await screen.findByRole('heading', { name: /not found|no page/i })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Inbox/ })).not.toBeInTheDocument();
  });
});

describe('Watching a task', () => {
  it('lists the watchers and watches, then stops watching', async () => {
    serveAccounts({ user: bob });
    const task = makeTask({ title: 'Fix login' });
    let watchers = [{ id: ada.id, name: 'Ada' }];
    const calls: string[] = [];
    server.use(
      http.get(api('/tasks/:id'), () => HttpResponse.json(task, { headers: { ETag: '"1"' } })),
      http.get(api('/users'), () => HttpResponse.json([ada, bob])),
      http.get(api('/tasks/:id/comments'), () => HttpResponse.json([], { headers: { 'X-Total-Count': '0' } })),
      http.get(api('/notifications/unread-count'), () => HttpResponse.json({ unread: 0 })),
      http.get(api('/tasks/:id/watchers'), () => HttpResponse.json(watchers)),
      http.put(api('/tasks/:id/watch'), () => {
        calls.push('PUT');
        watchers = [...watchers, { id: bob.id, name: 'Bob' }];
        return new HttpResponse(null, { status: 204 });
      }),
      http.delete(api('/tasks/:id/watch'), () => {
        calls.push('DELETE');
        watchers = watchers.filter((watcher) => watcher.id !== bob.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderApp(`/tasks/${task.key}`);

    expect(await screen.findByText('Watched by Ada')).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Watch' }));
    expect(await screen.findByText('Watched by Ada and Bob')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Stop watching' }));
    expect(await screen.findByText('Watched by Ada')).toBeInTheDocument();
    expect(calls).toEqual(['PUT', 'DELETE']);
  });
});
