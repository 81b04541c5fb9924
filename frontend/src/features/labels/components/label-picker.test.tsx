import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { Label } from '../label.types';

const bug: Label = { id: '30000000-0000-4000-8000-000000000001', name: 'bug', color: '#dc2626', task_count: 0 };

function serveLabels(initial: Label[]) {
  const labels = [...initial];
  server.use(
    http.get(api('/labels'), () => HttpResponse.json(labels)),
    http.post(api('/labels'), async ({ request }) => {
      const body = (await request.json()) as { name: string; color: string };
      const created = { id: `30000000-0000-4000-8000-00000000000${labels.length + 2}`, ...body, task_count: 0 };
      labels.push(created);
      return HttpResponse.json(created, { status: 201 });
    }),
  );
}

function recordCreates() {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(api('/tasks'), async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return HttpResponse.json(makeTask({ title: String(body.title) }), { status: 201 });
    }),
  );
  return bodies;
}

describe('Labels and member assignees', () => {
  it('picks a label and creates another from the task form, and sends both', async () => {
    serveLabels([bug]);
    serveTaskList([]);
    const bodies = recordCreates();
    const { user } = renderApp('/');

    await user.click(await screen.findByRole('button', { name: '+ New task' }));
    const dialog = screen.getByRole('dialog', { name: 'New task' });
    await user.type(within(dialog).getByLabelText('Title'), 'Fix the login');
    await user.click(await within(dialog).findByRole('checkbox', { name: 'bug' }));
    await user.type(within(dialog).getByLabelText('New label'), 'urgent{Enter}');
    expect(await within(dialog).findByRole('checkbox', { name: 'urgent' })).toBeChecked();
    // No member picker with accounts off: there are no members.
    expect(within(dialog).queryByLabelText('Assigned member')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].label_ids).toEqual([bug.id, '30000000-0000-4000-8000-000000000003']);
    expect(bodies[0]).not.toHaveProperty('assignee_id');
  });

  it('shows labels in their colours on rows, and filters by label through the URL', async () => {
    serveLabels([bug]);
    const queries = serveTaskList([makeTask({ title: 'Crash', labels: [{ id: bug.id, name: 'bug', color: bug.color }] })]);
    const { user } = renderApp('/');

    const list = await screen.findByRole('list', { name: 'Tasks' });
    expect(within(within(list).getByRole('list', { name: 'Labels' })).getByText('bug')).toBeInTheDocument();
    await user.selectOptions(await screen.findByLabelText('Label'), 'bug');
    await waitFor(() => expect(window.location.search).toBe(`?label=${bug.id}`));
    await waitFor(() => expect(queries.at(-1)!.get('label_ids')).toBe(bug.id));
  });

  it('assigns a member when signed in, and filters by "Me"', async () => {
    const me = makeUser({ name: 'Ana' });
    const bo = makeUser({ name: 'Bo' });
    serveAccounts({ user: me });
    server.use(http.get(api('/users'), () => HttpResponse.json([me, bo])));
    const queries = serveTaskList([]);
    const bodies = recordCreates();
    const { user } = renderApp('/');

    await user.click(await screen.findByRole('button', { name: '+ New task' }));
    const dialog = screen.getByRole('dialog', { name: 'New task' });
    await user.type(within(dialog).getByLabelText('Title'), 'Review');
    // Search as you type: "b" leaves Bo (and Nobody), the keyboard picks Bo.
    const picker = await within(dialog).findByRole('combobox', { name: 'Assigned member' });
    await user.type(picker, 'bo');
    expect(within(within(dialog).getByRole('listbox', { name: 'Assigned member' })).getAllByRole('option').map((option) => option.textContent)).toEqual(['Nobody', 'Bo']);
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(picker).toHaveValue('Bo');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].assignee_id).toBe(bo.id);

    await user.selectOptions(screen.getByLabelText('Assigned to'), 'Me');
    await waitFor(() => expect(queries.at(-1)!.get('assignee_id')).toBe('me'));
    expect(window.location.search).toBe('?assignee_id=me');
  });
});
