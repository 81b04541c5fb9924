import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { Task } from '../task.types';

const ana = { id: 'u-ana', name: 'Ana' };
const bo = { id: 'u-bo', name: 'Bo' };

function withAuthors(task: Task, created_by: typeof ana | null, updated_by: typeof ana | null): Task {
  return { ...task, created_by, updated_by };
}

describe('Who created and changed a task', () => {
  it('shows the creator, and who last changed it once it was changed', async () => {
    serveAccounts({ user: makeUser() });
    const fresh = makeTask({ title: 'Fresh' });
    const edited = makeTask({ title: 'Edited' });
    serveTaskList([
      withAuthors(fresh, ana, ana),
      withAuthors({ ...edited, updated_at: '2026-11-20T10:00:00.000Z' }, ana, bo),
      makeTask({ title: 'From before accounts' }),
    ]);
    renderApp('/');

    const list = await screen.findByRole('list', { name: 'Tasks' });
    const [freshRow, editedRow, oldRow] = within(list).getAllByRole('listitem');
    expect(within(freshRow).getByText(/Created by/).closest('p')).toHaveTextContent(/^Created by Ana$/);
    expect(within(editedRow).getByText(/Created by/).closest('p')).toHaveTextContent('Created by Ana · last changed by Bo');
    expect(within(oldRow).queryByText(/Created by/)).not.toBeInTheDocument();
  });

  it('says when, in the task dialog', async () => {
    serveAccounts({ user: makeUser() });
    const task = withAuthors(
      { ...makeTask({ title: 'Dated' }), created_at: '2026-11-01T09:00:00.000Z', updated_at: '2026-11-02T10:30:00.000Z' },
      ana,
      bo,
    );
    serveTaskList([task]);
    server.use(http.get(api(`/tasks/${task.id}`), () => HttpResponse.json(task, { headers: { ETag: '"v1"' } })));
    const { user } = renderApp('/');

    await user.click(await screen.findByRole('button', { name: 'Edit “Dated”' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit task' });
    const line = await within(dialog).findByText(/Created by/);
    expect(line.closest('p')).toHaveTextContent(/Created by Ana on .*2026.* · last changed by Bo on .*2026/);
  });
});

describe('Creating a task', () => {
  async function openCreateDialog() {
    serveTaskList([]);
    const app = renderApp();
    await screen.findByText('No tasks yet.');
    await app.user.click(screen.getByRole('button', { name: '+ New task' }));
    const dialog = screen.getByRole('dialog', { name: 'New task' });
    await app.user.type(within(dialog).getByLabelText('Title'), 'Only once');
    return { ...app, dialog };
  }

  it('sends an Idempotency-Key, and on a network failure sends the same request once more with the same key', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(api('/tasks'), async ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        // The first answer is lost on the way back.
        if (keys.length === 1) return HttpResponse.error();
        return HttpResponse.json(makeTask((await request.json()) as Partial<Task>), { status: 201 });
      }),
    );
    const { user, dialog } = await openCreateDialog();
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('uses a new key for each create, and does not retry an HTTP error', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(api('/tasks'), ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        return HttpResponse.json(
          { statusCode: 409, error: 'Conflict', message: 'A request with this Idempotency-Key is still being processed' },
          { status: 409 },
        );
      }),
    );
    const { user, dialog } = await openCreateDialog();
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('A request with this Idempotency-Key is still being processed');
    expect(keys).toHaveLength(1);

    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(keys).toHaveLength(2));
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('gives up after the one retry when the network stays down', async () => {
    let attempts = 0;
    server.use(
      http.post(api('/tasks'), () => {
        attempts += 1;
        return HttpResponse.error();
      }),
    );
    const { user, dialog } = await openCreateDialog();
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The TaskFlow server cannot be reached.');
    expect(attempts).toBe(2);
  });
});
