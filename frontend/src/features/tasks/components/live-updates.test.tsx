import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { api, changedTask, makeChange, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { FakeEventSource } from '../../../test/fake-event-source';
import { renderApp } from '../../../test/render-app';
import type { Task } from '../task.types';

const liveStatus = () => screen.getByRole('banner').querySelector('.live-indicator [role="status"]');

async function openStream() {
  await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
  const stream = FakeEventSource.latest();
  stream.open();
  await waitFor(() => expect(liveStatus()).toHaveTextContent('Live'));
  return stream;
}

const row = (title: string) => screen.getByText(title, { selector: '.task-title span' }).closest('li')!;

/** PATCH /tasks/{id} over the same array GET /tasks serves, with a new updated_at for each write. */
function servePatches(tasks: Task[]) {
  server.use(
    http.patch(api('/tasks/:id'), async ({ params, request }) => {
      const index = tasks.findIndex((task) => task.id === params.id);
      tasks[index] = changedTask(tasks[index], (await request.json()) as Partial<Task>);
      return HttpResponse.json(tasks[index], { headers: { ETag: `"${tasks[index].updated_at}"` } });
    }),
  );
}

describe('Live updates', () => {
  it('applies a burst of changes from the stream with one refetch of the list', async () => {
    const tasks = [makeTask({ title: 'Already here' })];
    const queries = serveTaskList(tasks);
    renderApp('/');
    await screen.findByText('Already here');
    const stream = await openStream();
    const before = queries.length;

    for (let index = 1; index <= 25; index += 1) {
      const task = makeTask({ title: `Created elsewhere ${index}` });
      tasks.unshift(task);
      stream.emit(makeChange('created', task, { fields: { title: [null, task.title] } }));
    }

    await screen.findByText('Created elsewhere 25');
    await new Promise((done) => setTimeout(done, 300));
    expect(queries.length - before).toBe(1);
  });

  it('changes a row in place without a refetch, and highlights it for a moment', async () => {
    const task = makeTask({ title: 'Write the notes' });
    const tasks = [task];
    const queries = serveTaskList(tasks);
    renderApp('/');
    await screen.findByText('Write the notes');
    const stream = await openStream();
    const before = queries.length;

    tasks[0] = changedTask(task, { title: 'Write the release notes', assignee: 'bo' });
    stream.emit(makeChange('updated', tasks[0], { fields: { title: [task.title, tasks[0].title], assignee: [null, 'bo'] } }));

    await screen.findByText('Write the release notes');
    expect(row('Write the release notes')).toHaveClass('task-changed');
    expect(within(row('Write the release notes')).getByText('bo')).toBeInTheDocument();
    await waitFor(() => expect(row('Write the release notes')).not.toHaveClass('task-changed'), { timeout: 2500 });
    expect(queries.length).toBe(before);
  });

  it('does not highlight the echo of a change made on this page', async () => {
    const tasks = [makeTask({ title: 'Mine to start' })];
    serveTaskList(tasks);
    servePatches(tasks);
    const { user } = renderApp('/');
    const stream = await openStream();

    await user.click(await screen.findByRole('button', { name: 'Start: move “Mine to start” to In progress' }));
    await waitFor(() => expect(within(row('Mine to start')).getByText('In progress')).toBeInTheDocument());
    stream.emit(makeChange('updated', tasks[0], { fields: { status: ['todo', 'in_progress'] } }));
    await new Promise((done) => setTimeout(done, 250));

    expect(row('Mine to start')).not.toHaveClass('task-changed');
  });

  it('moves a card to its new column on the board as soon as the change arrives, refetching only those columns', async () => {
    const task = makeTask({ title: 'Review the design' });
    const tasks = [task, makeTask({ title: 'Already done', status: 'done' })];
    const queries = serveTaskList(tasks);
    renderApp('/?view=board');
    const todo = await screen.findByRole('region', { name: /^To do/ });
    await within(todo).findByText('Review the design');
    const stream = await openStream();
    const before = queries.length;

    tasks[0] = changedTask(task, { status: 'in_progress' });
    stream.emit(makeChange('updated', tasks[0], { fields: { status: ['todo', 'in_progress'] } }));

    const inProgress = screen.getByRole('region', { name: /^In progress/ });
    const card = await within(inProgress).findByText('Review the design');
    expect(card.closest('li')).toHaveClass('task-changed');
    expect(within(todo).queryByText('Review the design')).not.toBeInTheDocument();
    await waitFor(() => expect(queries.length - before).toBe(2));
    expect(queries.slice(before).map((query) => query.get('status')).sort()).toEqual(['in_progress', 'todo']);
  });

  it('removes a task deleted elsewhere', async () => {
    const tasks = [makeTask({ title: 'Short-lived' }), makeTask({ title: 'Stays' })];
    serveTaskList(tasks);
    renderApp('/');
    await screen.findByText('Short-lived');
    const stream = await openStream();

    const [gone] = tasks.splice(0, 1);
    stream.emit(makeChange('deleted', gone, { fields: { title: [gone.title, null] } }));

    await waitFor(() => expect(screen.queryByText('Short-lived')).not.toBeInTheDocument());
    expect(screen.getByText('Stays')).toBeInTheDocument();
  });
});

describe('The connection indicator', () => {
  it('says Live, then reconnects by itself with a new ticket, resuming after the last change received', async () => {
    serveAccounts({ user: makeUser({ name: 'Ana' }) });
    serveTaskList([]);
    let tickets = 0;
    const since: string[] = [];
    server.use(
      http.post(api('/tasks/events/ticket'), () => {
        tickets += 1;
        return HttpResponse.json({ ticket: `ticket-${tickets}`, expires_in: 60 }, { status: 201 });
      }),
      http.get(api('/tasks/changes'), ({ request }) => {
        since.push(new URL(request.url).searchParams.get('since') ?? '');
        return HttpResponse.json({ changes: [], next_cursor: since.at(-1), has_more: false });
      }),
    );
    renderApp('/');
    await screen.findByText('No tasks yet.');
    await waitFor(() => expect(liveStatus()).toHaveTextContent('Connecting…'));

    const first = await openStream();
    expect(first.params.get('ticket')).toBe('ticket-1');
    expect(first.params.has('last_event_id')).toBe(false);
    const seen = makeChange('created', makeTask({ title: 'Seen live' }));
    first.emit(seen);

    first.fail();
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    expect(liveStatus()).toHaveTextContent('Reconnecting…');
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2), { timeout: 2500 });
    const second = FakeEventSource.latest();
    expect(second.params.get('ticket')).toBe('ticket-2');
    expect(second.params.get('last_event_id')).toBe(seen.cursor);
    // Asked first whether the change log still reaches back that far.
    expect(since).toEqual([seen.cursor]);

    second.open();
    await waitFor(() => expect(liveStatus()).toHaveTextContent('Live'));
  });

  it('says that live updates are paused after failed attempts, and resumes', async () => {
    serveTaskList([]);
    const { user } = renderApp('/');
    await screen.findByText('No tasks yet.');
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));

    // Accounts are off here: no ticket, the stream's plain address.
    expect(FakeEventSource.latest().url).toMatch(/\/api\/tasks\/events$/);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      FakeEventSource.latest().fail();
      // Back online: try again without waiting for the back-off.
      if (attempt < 3) {
        act(() => void window.dispatchEvent(new Event('online')));
        await waitFor(() => expect(FakeEventSource.instances).toHaveLength(attempt + 1));
      }
    }
    await waitFor(() => expect(liveStatus()).toHaveTextContent('Live updates paused'));

    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(4));
    FakeEventSource.latest().open();
    await waitFor(() => expect(liveStatus()).toHaveTextContent('Live'));
    expect(screen.queryByRole('button', { name: 'Retry now' })).not.toBeInTheDocument();
  });

  it('pauses at once when the browser goes offline, and resumes when it is back', async () => {
    serveTaskList([]);
    renderApp('/');
    await screen.findByText('No tasks yet.');
    const first = await openStream();

    act(() => void window.dispatchEvent(new Event('offline')));
    expect(liveStatus()).toHaveTextContent('Live updates paused');
    expect(first.readyState).toBe(FakeEventSource.CLOSED);

    act(() => void window.dispatchEvent(new Event('online')));
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2));
    FakeEventSource.latest().open();
    await waitFor(() => expect(liveStatus()).toHaveTextContent('Live'));
  });

  it('reloads everything when the change log no longer reaches back to the last change received (410)', async () => {
    const tasks = [makeTask({ title: 'Before the gap' })];
    const queries = serveTaskList(tasks);
    server.use(
      http.get(api('/tasks/changes'), () =>
        HttpResponse.json({ statusCode: 410, error: 'Gone', message: 'This cursor is older than the change log' }, { status: 410 }),
      ),
    );
    renderApp('/');
    await screen.findByText('Before the gap');
    const first = await openStream();
    first.emit(makeChange('updated', changedTask(tasks[0], {}), {}));
    await new Promise((done) => setTimeout(done, 200));
    const before = queries.length;

    tasks.push(makeTask({ title: 'Made during the gap' }));
    first.fail();
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(2), { timeout: 2500 });

    expect(FakeEventSource.latest().params.has('last_event_id')).toBe(false);
    await screen.findByText('Made during the gap');
    expect(queries.length - before).toBe(1);
  });
});
