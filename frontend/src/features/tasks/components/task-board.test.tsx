import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';

describe('TaskBoard', () => {
  it('shows a column per status, each filled by its own query with the other filters', async () => {
    const queries = serveTaskList([
      makeTask({ title: 'Plan', status: 'todo', priority: 'high' }),
      makeTask({ title: 'Build', status: 'in_progress', priority: 'high' }),
      makeTask({ title: 'Ship', status: 'done', priority: 'high' }),
      makeTask({ title: 'Someday', status: 'todo', priority: 'low' }),
    ]);
    renderApp('/?view=board&priority=high&status=done');

    const todo = await screen.findByRole('region', { name: /^To do/ });
    await within(todo).findByText('Plan');
    expect(within(todo).queryByText('Someday')).not.toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: /^In progress/ })).getByText('Build')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: /^Done/ })).getByText('Ship')).toBeInTheDocument();
    // A status filter would empty two columns: the board ignores it and offers none.
    expect(screen.queryByLabelText('Status')).not.toBeInTheDocument();
    const columnQueries = queries.filter((query) => query.get('priority') === 'high').map((query) => query.get('status'));
    expect(columnQueries.sort()).toEqual(['done', 'in_progress', 'todo']);
  });

  it('moves a card to the next column from the keyboard', async () => {
    const task = makeTask({ title: 'Plan', status: 'todo' });
    serveTaskList([task]);
    const patches: unknown[] = [];
    server.use(
      http.patch(api(`/tasks/${task.id}`), async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        patches.push(body);
        // Slow enough that only the optimistic move can explain the card's new place below.
        await new Promise((done) => setTimeout(done, 200));
        return HttpResponse.json({ ...task, ...body });
      }),
    );
    const { user } = renderApp('/?view=board');

    const move = await screen.findByRole('button', { name: 'Move “Plan” to In progress' });
    move.focus();
    await user.keyboard('{Enter}');

    const inProgress = screen.getByRole('region', { name: /^In progress/ });
    expect(await within(inProgress).findByText('Plan')).toBeInTheDocument();
    await waitFor(() => expect(patches).toEqual([{ status: 'in_progress' }]));
  });
});

describe('A board card', () => {
  it('shows its details as chips: key, labels, priority, due date, overdue, comments and the assignee’s initials', async () => {
    serveTaskList([
      makeTask({
        title: 'Compact',
        key: 'TF-3',
        priority: 'high',
        due_date: '2020-01-01T00:00:00.000Z',
        comment_count: 2,
        labels: [{ id: 'l1', name: 'bug', color: '#dc2626' }],
        assignee_user: { id: 'u1', name: 'Ana Lopez' },
      }),
    ]);
    renderApp('/?view=board');
    const todo = await screen.findByRole('region', { name: /^To do/ });
    const card = (await within(todo).findByText('Compact')).closest('li')!;
    expect(within(card).getByRole('link', { name: 'TF-3 Compact' })).toHaveAttribute('href', '/tasks/TF-3');
    expect(within(card).getByText('bug')).toBeInTheDocument();
    expect(card).toHaveTextContent('Priority: High');
    expect(within(card).getByText('Overdue')).toBeInTheDocument();
    expect(within(card).getByText('2 comments')).toBeInTheDocument();
    expect(within(card).getByText('AL')).toBeInTheDocument();
    expect(within(card).getByText('Assigned to Ana Lopez')).toBeInTheDocument();
    // No spelled-out "Assignee:" and "Due:" lines any more.
    expect(within(card).queryByText('Assignee')).not.toBeInTheDocument();
  });
});
