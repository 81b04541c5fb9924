import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';

describe('TasksScreen', () => {
  it('lists the tasks with their status, priority, assignee and an overdue mark', async () => {
    serveTaskList([
      makeTask({ title: 'Write the report', priority: 'high', assignee: 'ana', due_date: '2020-01-01T00:00:00.000Z' }),
      makeTask({ title: 'Ship it', status: 'done', due_date: '2020-01-01T00:00:00.000Z' }),
    ]);
    renderApp();

    const list = await screen.findByRole('list', { name: 'Tasks' });
    const [report, ship] = within(list).getAllByRole('listitem');
    expect(within(report).getByText('Write the report')).toBeInTheDocument();
    expect(within(report).getByText('High')).toBeInTheDocument();
    expect(within(report).getByText('ana')).toBeInTheDocument();
    expect(within(report).getByText('Overdue')).toBeInTheDocument();
    // A done task is never overdue, whatever its due date.
    expect(within(ship).queryByText('Overdue')).not.toBeInTheDocument();
    expect(screen.getByTestId('count-badge')).toHaveTextContent('Showing 1–2 of 2 tasks');
  });

  it('reads filters, sort and page from the URL and sends them to the API', async () => {
    const tasks = Array.from({ length: 30 }, (_, index) =>
      makeTask({ title: `Alpha ${index}`, status: 'in_progress', priority: 'high', assignee: 'bo' }),
    );
    const queries = serveTaskList(tasks);
    renderApp('/?status=in_progress&priority=high&assignee=bo&q=alpha&sort=title&order=asc&page=2&limit=10');

    await screen.findByText('Alpha 10');
    const sent = Object.fromEntries(queries.at(-1)!);
    expect(sent).toEqual({
      status: 'in_progress',
      priority: 'high',
      assignee: 'bo',
      q: 'alpha',
      sort: 'title',
      order: 'asc',
      skip: '10',
      limit: '10',
    });
    expect(screen.getByLabelText('Status')).toHaveValue('in_progress');
    expect(screen.getByLabelText('Priority')).toHaveValue('high');
    expect(screen.getByLabelText('Assignee')).toHaveValue('bo');
    expect(screen.getByLabelText('Search')).toHaveValue('alpha');
    expect(screen.getByLabelText('Sort by')).toHaveValue('title');
    expect(screen.getByLabelText('Order')).toHaveValue('asc');
    expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();
    expect(screen.getByTestId('count-badge')).toHaveTextContent('Showing 11–20 of 30 matching tasks');
  });

  it('writes a changed filter into the URL and goes back to the first page', async () => {
    const queries = serveTaskList([makeTask({ title: 'Low one', priority: 'low' }), makeTask({ title: 'High one', priority: 'high' })]);
    const { user } = renderApp('/?page=3&sort=due_date');
    await screen.findByText('This page is empty.');

    await user.selectOptions(screen.getByLabelText('Priority'), 'high');

    await screen.findByText('High one');
    expect(screen.queryByText('Low one')).not.toBeInTheDocument();
    expect(window.location.search).toBe('?priority=high&sort=due_date');
    expect(queries.at(-1)!.get('priority')).toBe('high');
    expect(queries.at(-1)!.get('skip')).toBe('0');
  });

  it('searches once typing pauses, not on every keystroke', async () => {
    const queries = serveTaskList([makeTask({ title: 'Buy milk' }), makeTask({ title: 'Call the bank' })]);
    const { user } = renderApp();
    await screen.findByText('Buy milk');
    const before = queries.length;

    await user.type(screen.getByLabelText('Search'), 'bank');

    await waitFor(() => expect(window.location.search).toBe('?q=bank'));
    await waitFor(() => expect(screen.queryByText('Buy milk')).not.toBeInTheDocument());
    expect(screen.getByText('Call the bank')).toBeInTheDocument();
    // Four keystrokes, one request for the list (plus the stats behind the total badge).
    const searches = queries.slice(before).filter((query) => query.has('q'));
    expect(searches.map((query) => query.get('q'))).toEqual(['bank']);
  });

  it('pages with skip and limit using the X-Total-Count header', async () => {
    const tasks = Array.from({ length: 25 }, (_, index) => makeTask({ title: `Item ${index + 1}` }));
    const queries = serveTaskList(tasks);
    const { user } = renderApp('/?order=asc');
    await screen.findByText('Item 1');
    expect(screen.getByText('Page 1 of 2')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /Next/ }));

    await screen.findByText('Item 21');
    expect(window.location.search).toBe('?order=asc&page=2');
    expect(queries.at(-1)!.get('skip')).toBe('20');
    expect(queries.at(-1)!.get('limit')).toBe('20');
    expect(screen.getByRole('button', { name: /Next/ })).toBeDisabled();
  });

  it('restores the filters when the person goes back in history', async () => {
    serveTaskList([makeTask({ title: 'Todo task' }), makeTask({ title: 'Done task', status: 'done' })]);
    const { user } = renderApp();
    await screen.findByText('Todo task');
    await user.selectOptions(screen.getByLabelText('Status'), 'done');
    await waitFor(() => expect(screen.queryByText('Todo task')).not.toBeInTheDocument());

    window.history.back();

    await screen.findByText('Todo task');
    expect(screen.getByLabelText('Status')).toHaveValue('');
  });

  it('says when the server cannot be reached, and retries on request', async () => {
    server.use(http.get(api('/tasks'), () => HttpResponse.error()));
    const { user } = renderApp();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The TaskFlow server is not responding.');

    serveTaskList([makeTask({ title: 'Back online' })]);
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));

    await screen.findByText('Back online');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the message of an API error', async () => {
    server.use(
      http.get(api('/tasks'), () =>
        HttpResponse.json({ statusCode: 500, error: 'Internal Server Error', message: 'Database is locked' }, { status: 500 }),
      ),
    );
    renderApp();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load tasks.');
    expect(alert).toHaveTextContent('Database is locked');
  });

  it('tells an empty database from an empty filter result', async () => {
    serveTaskList([]);
    const { user, unmount } = renderApp();
    expect(await screen.findByText('No tasks yet.')).toBeInTheDocument();
    unmount();

    renderApp('/?assignee=nobody');
    const empty = (await screen.findByText('No tasks match these filters.')).parentElement!;
    await user.click(within(empty).getByRole('button', { name: 'Clear filters' }));
    expect(window.location.search).toBe('');
    expect(await screen.findByText('No tasks yet.')).toBeInTheDocument();
  });

  it('changes the status in one click', async () => {
    const task = makeTask({ title: 'Start me' });
    serveTaskList([task]);
    const patches: unknown[] = [];
    server.use(
      http.patch(api(`/tasks/${task.id}`), async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        patches.push(body);
        return HttpResponse.json({ ...task, ...body });
      }),
    );
    const { user } = renderApp();

    await user.click(await screen.findByRole('button', { name: 'Start: move “Start me” to In progress' }));

    await waitFor(() => expect(patches).toEqual([{ status: 'in_progress' }]));
  });
});
