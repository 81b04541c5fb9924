import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';
import { undoDelayMs } from '../use-undoable-delete';

describe('Deleting a task', () => {
  beforeEach(() => {
    // Real time still passes, for msw and React; the undo window is skipped through by hand.
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp() {
    const keep = makeTask({ title: 'Keep me' });
    const drop = makeTask({ title: 'Drop me' });
    serveTaskList([keep, drop]);
    const deleted: string[] = [];
    server.use(
      http.delete(api('/tasks/:id'), ({ params }) => {
        deleted.push(String(params.id));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const app = renderApp('/', { advanceTimers: vi.advanceTimersByTime });
    return { ...app, keep, drop, deleted };
  }

  async function confirmDelete(user: ReturnType<typeof setUp>['user'], title: string) {
    await user.click(await screen.findByRole('button', { name: `Delete “${title}”` }));
    const dialog = screen.getByRole('dialog', { name: 'Delete task?' });
    expect(dialog).toHaveTextContent(`“${title}” will be deleted. You can undo this for ${undoDelayMs / 1000} seconds.`);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
  }

  it('asks first, and sends nothing when the person cancels', async () => {
    const { user, deleted } = setUp();
    await user.click(await screen.findByRole('button', { name: 'Delete “Keep me”' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete task?' })).getByRole('button', { name: 'Cancel' }));

    await act(() => vi.advanceTimersByTimeAsync(undoDelayMs * 2));
    expect(screen.getByText('Keep me')).toBeInTheDocument();
    expect(deleted).toEqual([]);
  });

  it('hides the task at once and brings it back on Undo, without a request', async () => {
    const { user, deleted } = setUp();
    await confirmDelete(user, 'Keep me');

    expect(screen.queryByText('Keep me', { selector: '.task-title span' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Undo deleting “Keep me”' }));
    expect(await screen.findByText('Keep me', { selector: '.task-title span' })).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(undoDelayMs * 2));
    expect(deleted).toEqual([]);
  });

  it('sends DELETE once the undo window has passed', async () => {
    const { user, deleted, drop } = setUp();
    await confirmDelete(user, 'Drop me');

    await act(() => vi.advanceTimersByTimeAsync(undoDelayMs - 500));
    expect(deleted).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    await waitFor(() => expect(deleted).toEqual([drop.id]));
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Undo deleting “Drop me”' })).not.toBeInTheDocument(),
    );
  });

  it('reports a failed delete and shows the task again', async () => {
    const { user, drop } = setUp();
    server.use(
      http.delete(api(`/tasks/${drop.id}`), () =>
        HttpResponse.json({ statusCode: 412, error: 'Precondition Failed', message: 'Changed meanwhile' }, { status: 412 }),
      ),
    );
    await confirmDelete(user, 'Drop me');
    await act(() => vi.advanceTimersByTimeAsync(undoDelayMs + 100));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not delete “Drop me”: Changed meanwhile');
    expect(await screen.findByText('Drop me', { selector: '.task-title span' })).toBeInTheDocument();
  });
});
