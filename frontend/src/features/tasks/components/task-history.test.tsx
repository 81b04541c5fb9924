import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { api, changedTask, makeChange, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { FakeEventSource } from '../../../test/fake-event-source';
import { renderApp } from '../../../test/render-app';
import type { Task, TaskChange } from '../task.types';

const ana = makeUser({ name: 'Ana' });
const bob = makeUser({ name: 'Bob' });
const author = (user: typeof ana) => ({ id: user.id, name: user.name });
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** GET /tasks/{id} answering whatever `current()` is, with a tag per version; and its history. */
function serveTask(current: () => Task, history: TaskChange[] = []) {
  const requests = { detail: 0, history: [] as URLSearchParams[] };
  server.use(
    http.get(api('/tasks/:id'), () => {
      requests.detail += 1;
      return HttpResponse.json(current(), { headers: { ETag: `"${current().updated_at}"` } });
    }),
    http.get(api('/tasks/:id/history'), ({ request }) => {
      const params = new URL(request.url).searchParams;
      requests.history.push(params);
      const skip = Number(params.get('skip'));
      const limit = Number(params.get('limit'));
      return HttpResponse.json(history.slice(skip, skip + limit), { headers: { 'X-Total-Count': String(history.length) } });
    }),
  );
  return requests;
}

async function openEditDialog(title: string) {
  const app = renderApp('/');
  await app.user.click(await screen.findByRole('button', { name: `Edit “${title}”` }));
  const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
  await within(dialog).findByLabelText('Title');
  await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
  FakeEventSource.latest().open();
  return { ...app, dialog };
}

describe('The task dialog when someone else changes the task', () => {
  it('says who changed what, and keeps what the person typed when they keep editing', async () => {
    serveAccounts({ user: ana });
    let task = makeTask({ title: 'Ship the release', status: 'in_progress', created_by: author(ana), updated_by: author(ana) });
    serveTaskList([task]);
    const requests = serveTask(() => task);
    const { user, dialog } = await openEditDialog('Ship the release');
    const title = within(dialog).getByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Ship the release on Friday');

    task = changedTask(task, { status: 'done', updated_by: author(bob) });
    FakeEventSource.latest().emit(
      makeChange('updated', task, { fields: { status: ['in_progress', 'done'] }, user: author(bob) }),
    );

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Bob changed this task while you were editing: status In progress → Done.');
    // The form still holds the person's own typing and the version they started from.
    expect(title).toHaveValue('Ship the release on Friday');
    expect(within(dialog).getByLabelText('Status')).toHaveValue('in_progress');

    await user.click(within(alert).getByRole('button', { name: 'Keep editing' }));
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(title).toHaveValue('Ship the release on Friday');

    // Another change: told again; this time the person reloads and gets Bob's version.
    task = changedTask(task, { priority: 'high', updated_by: author(bob) });
    FakeEventSource.latest().emit(makeChange('updated', task, { fields: { priority: ['medium', 'high'] }, user: author(bob) }));
    const again = await within(dialog).findByRole('alert');
    expect(again).toHaveTextContent('Bob changed this task while you were editing: status In progress → Done; priority Medium → High.');
    const loads = requests.detail;
    await user.click(within(again).getByRole('button', { name: 'Reload' }));

    await waitFor(() => expect(within(dialog).getByLabelText('Status')).toHaveValue('done'));
    expect(within(dialog).getByLabelText('Title')).toHaveValue('Ship the release');
    expect(within(dialog).getByLabelText('Priority')).toHaveValue('high');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(requests.detail).toBe(loads + 1);
  });

  it('says when the person changed it themselves in another window', async () => {
    serveAccounts({ user: ana });
    let task = makeTask({ title: 'Book the room', updated_by: author(ana) });
    serveTaskList([task]);
    serveTask(() => task);
    const { dialog } = await openEditDialog('Book the room');

    task = changedTask(task, { assignee: 'ana' });
    FakeEventSource.latest().emit(makeChange('updated', task, { fields: { assignee: [null, 'ana'] }, user: author(ana) }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'You changed this task in another window while you were editing: assignee nobody → ana.',
    );
  });

  it('says when the task was deleted meanwhile', async () => {
    let task: Task | null = makeTask({ title: 'Soon gone' });
    const kept = task;
    serveTaskList([task]);
    server.use(
      http.get(api('/tasks/:id'), () =>
        task
          ? HttpResponse.json(task, { headers: { ETag: '"v1"' } })
          : HttpResponse.json({ statusCode: 404, error: 'Not Found', message: 'Task not found' }, { status: 404 }),
      ),
    );
    const { dialog } = await openEditDialog('Soon gone');

    task = null;
    FakeEventSource.latest().emit(makeChange('deleted', kept, { fields: { title: ['Soon gone', null] } }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This task was deleted while you were editing it.');
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
  });
});

describe('The history panel', () => {
  it('tells the task’s story newest first, in words, with Show more for older entries', async () => {
    const task = makeTask({ title: 'Plan the launch', status: 'done' });
    const history: TaskChange[] = [
      makeChange('updated', task, { fields: { status: ['in_progress', 'done'] }, user: author(ana), changedAt: minutesAgo(2) }),
      makeChange('updated', task, { fields: { title: ['Plan launch', 'Plan the launch'] }, user: author(ana), changedAt: minutesAgo(30) }),
      makeChange('updated', task, {
        fields: { assignee: [null, 'bo'], priority: ['low', 'high'], due_date: [null, '2026-12-01T09:30:00.000Z'] },
        user: author(bob),
        changedAt: minutesAgo(120),
      }),
      ...Array.from({ length: 8 }, (_, index) =>
        makeChange('updated', task, { fields: { description: [null, `Note ${index}`] }, user: author(bob), changedAt: minutesAgo(200 + index) }),
      ),
      makeChange('created', task, { fields: { title: [null, 'Plan launch'] }, user: author(bob), changedAt: minutesAgo(60 * 24 * 10) }),
    ];
    serveTaskList([task]);
    const requests = serveTask(() => task, history);
    const { user, dialog } = await openEditDialog('Plan the launch');

    const panel = within(dialog).getByRole('region', { name: 'History' });
    const entries = await within(panel).findAllByRole('listitem');
    expect(entries).toHaveLength(10);
    expect(entries[0]).toHaveTextContent('Ana moved it from In progress to Done · 2 min ago');
    expect(entries[1]).toHaveTextContent('Ana changed the title from “Plan launch” to “Plan the launch” · 30 min ago');
    expect(entries[2]).toHaveTextContent(
      /^Bob changed the priority from Low to High, assigned it to bo and set the due date to .+ · 2 h ago$/,
    );
    expect(entries[3]).toHaveTextContent('Bob added a description');

    await user.click(within(panel).getByRole('button', { name: 'Show more (2 older)' }));
    await waitFor(() => expect(within(panel).getAllByRole('listitem')).toHaveLength(12));
    expect(within(panel).getAllByRole('listitem')[11]).toHaveTextContent(/^Bob created it · /);
    expect(within(panel).queryByRole('button', { name: /Show more/ })).not.toBeInTheDocument();
    expect(requests.history.map((params) => `${params.get('skip')}/${params.get('limit')}`)).toEqual(['0/10', '10/10']);
  });

  it('adds a change as it arrives on the stream', async () => {
    let task = makeTask({ title: 'Live story' });
    const history = [makeChange('created', task, { fields: { title: [null, 'Live story'] }, user: author(bob) })];
    serveTaskList([task]);
    serveTask(() => task, history);
    const { dialog } = await openEditDialog('Live story');
    const panel = within(dialog).getByRole('region', { name: 'History' });
    await within(panel).findByText('created it', { exact: false });

    task = changedTask(task, { status: 'in_progress', updated_by: author(bob) });
    const change = makeChange('updated', task, { fields: { status: ['todo', 'in_progress'] }, user: author(bob) });
    history.unshift(change);
    FakeEventSource.latest().emit(change);

    await within(panel).findByText(/moved it from To do to In progress/);
  });
});
