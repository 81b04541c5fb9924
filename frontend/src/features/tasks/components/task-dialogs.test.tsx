import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';
import type { Task } from '../task.types';

function recordCreates(reply: (body: Record<string, unknown>) => Response) {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(api('/tasks'), async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return reply(body);
    }),
  );
  return bodies;
}

async function openCreateDialog() {
  serveTaskList([]);
  const app = renderApp();
  await screen.findByText('No tasks yet.');
  await app.user.click(screen.getByRole('button', { name: '+ New task' }));
  return { ...app, dialog: screen.getByRole('dialog', { name: 'New task' }) };
}

describe('Create task form', () => {
  it('refuses an empty title beside the field, without calling the API', async () => {
    const bodies = recordCreates(() => HttpResponse.json({}, { status: 201 }));
    const { user, dialog } = await openCreateDialog();

    await user.type(within(dialog).getByLabelText('Title'), '   ');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    const title = within(dialog).getByLabelText('Title');
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription(expect.stringContaining('Title is required.'));
    expect(title).toHaveFocus();
    expect(bodies).toEqual([]);
  });

  it('enforces the length limits in characters, counting an emoji as one', async () => {
    const bodies = recordCreates((body) => HttpResponse.json(makeTask(body as Partial<Task>), { status: 201 }));
    const { user, dialog } = await openCreateDialog();
    const title = within(dialog).getByLabelText('Title');

    await user.click(title);
    await user.paste('x'.repeat(201));
    await user.click(within(dialog).getByLabelText('Description'));
    await user.paste('d'.repeat(1001));
    await user.click(within(dialog).getByLabelText('Assignee'));
    await user.paste('a'.repeat(101));
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    expect(title).toHaveAccessibleDescription(expect.stringContaining('Title must be at most 200 characters'));
    expect(within(dialog).getByLabelText('Description')).toHaveAccessibleDescription(
      expect.stringContaining('Description must be at most 1000 characters'),
    );
    expect(within(dialog).getByLabelText('Assignee')).toHaveAccessibleDescription(
      expect.stringContaining('Assignee must be at most 100 characters'),
    );
    expect(bodies).toEqual([]);

    // 200 emoji are 400 UTF-16 units but 200 characters, which the server accepts.
    await user.clear(title);
    await user.click(title);
    await user.paste('🙂'.repeat(200));
    await user.clear(within(dialog).getByLabelText('Description'));
    await user.clear(within(dialog).getByLabelText('Assignee'));
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0].title).toBe('🙂'.repeat(200));
  });

  it('sends a trimmed title, nulls for empty optional fields and the due date in UTC', async () => {
    const bodies = recordCreates((body) => HttpResponse.json(makeTask(body as Partial<Task>), { status: 201 }));
    const { user, dialog } = await openCreateDialog();

    await user.type(within(dialog).getByLabelText('Title'), '  Plan the sprint  ');
    await user.selectOptions(within(dialog).getByLabelText('Priority'), 'high');
    await user.selectOptions(within(dialog).getByLabelText('Status'), 'in_progress');
    await user.type(within(dialog).getByLabelText('Due date'), '2026-12-01T09:30');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(bodies).toEqual([
      {
        title: 'Plan the sprint',
        description: null,
        status: 'in_progress',
        priority: 'high',
        assignee: null,
        due_date: new Date('2026-12-01T09:30').toISOString(),
      },
    ]);
  });

  it("shows the server's 422 messages beside the fields they name", async () => {
    recordCreates(() =>
      HttpResponse.json(
        {
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: [
            'title must be shorter than or equal to 200 characters',
            'due_date must be a valid ISO 8601 date string',
            'something nobody expected',
          ],
        },
        { status: 422 },
      ),
    );
    const { user, dialog } = await openCreateDialog();

    await user.type(within(dialog).getByLabelText('Title'), 'Fine here');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));

    const title = within(dialog).getByLabelText('Title');
    await waitFor(() =>
      expect(title).toHaveAccessibleDescription(
        expect.stringContaining('title must be shorter than or equal to 200 characters'),
      ),
    );
    expect(within(dialog).getByLabelText('Due date')).toHaveAccessibleDescription(
      'due_date must be a valid ISO 8601 date string',
    );
    expect(within(dialog).getByRole('alert')).toHaveTextContent('something nobody expected');
    expect(title).toHaveFocus();
    // The dialog stays open with what the person typed.
    expect(title).toHaveValue('Fine here');
  });
});

describe('Task dialogs', () => {
  it('close on Escape and give focus back to the button that opened them', async () => {
    const { user, dialog } = await openCreateDialog();
    expect(within(dialog).getByLabelText('Title')).toHaveFocus();

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '+ New task' })).toHaveFocus();
  });

  it('keep Tab inside while open', async () => {
    const { user, dialog } = await openCreateDialog();
    within(dialog).getByRole('button', { name: 'Cancel' }).focus();

    await user.tab();

    expect(dialog).toContainElement(document.activeElement as HTMLElement);
  });

  it('with typed changes, ask before Escape or × discards them; Keep editing keeps them and gives focus back', async () => {
    const bodies = recordCreates(() => HttpResponse.json({}, { status: 201 }));
    const { user, dialog } = await openCreateDialog();
    await user.type(within(dialog).getByLabelText('Title'), 'Half a thought');

    await user.keyboard('{Escape}');
    const prompt = screen.getByRole('alertdialog', { name: 'Discard changes?' });
    expect(prompt).toHaveAccessibleDescription(expect.stringContaining('has not been saved'));
    expect(within(prompt).getByRole('button', { name: 'Keep editing' })).toHaveFocus();
    await user.click(within(prompt).getByRole('button', { name: 'Keep editing' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText('Title')).toHaveValue('Half a thought');
    expect(within(dialog).getByLabelText('Title')).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Close dialog' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '+ New task' })).toHaveFocus();
    expect(bodies).toEqual([]);
  });
});

describe('Edit task form', () => {
  function serveVersions(versions: { task: Task; etag: string }[]) {
    let current = 0;
    const patches: { body: unknown; ifMatch: string | null }[] = [];
    serveTaskList([versions[0].task]);
    server.use(
      http.get(api(`/tasks/${versions[0].task.id}`), () =>
        HttpResponse.json(versions[current].task, { headers: { ETag: versions[current].etag } }),
      ),
      http.patch(api(`/tasks/${versions[0].task.id}`), async ({ request }) => {
        const body = (await request.json()) as Partial<Task>;
        const ifMatch = request.headers.get('If-Match');
        patches.push({ body, ifMatch });
        if (ifMatch !== versions[current].etag) {
          return HttpResponse.json(
            { statusCode: 412, error: 'Precondition Failed', message: 'The task has changed' },
            { status: 412 },
          );
        }
        return HttpResponse.json({ ...versions[current].task, ...body }, { headers: { ETag: '"saved"' } });
      }),
    );
    return {
      patches,
      advance: () => {
        current += 1;
      },
    };
  }

  it('sends only the changed fields with If-Match', async () => {
    const task = makeTask({ title: 'Original', assignee: 'ana', description: 'Keep me' });
    const { patches } = serveVersions([{ task, etag: '"v1"' }]);
    const { user } = renderApp();

    await user.click(await screen.findByRole('button', { name: 'Edit “Original”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
    const assignee = await within(dialog).findByLabelText('Assignee');
    expect(within(dialog).getByLabelText('Title')).toHaveValue('Original');
    await user.clear(assignee);
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(patches).toEqual([{ body: { assignee: null }, ifMatch: '"v1"' }]);
  });

  it('on 412 keeps the draft, shows the saved version beside it and applies the draft onto it in one action', async () => {
    const mine = makeTask({ title: 'Draft plan', priority: 'low' });
    const theirs = { ...mine, title: 'Final plan (by Bo)', priority: 'high' as const, updated_at: '2026-11-23T10:00:00.000Z' };
    const versions = serveVersions([
      { task: mine, etag: '"v1"' },
      { task: theirs, etag: '"v2"' },
    ]);
    const { user } = renderApp();

    await user.click(await screen.findByRole('button', { name: 'Edit “Draft plan”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
    const title = await within(dialog).findByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'My plan');
    versions.advance();
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    const conflict = await within(dialog).findByRole('region', { name: /saved this task while you were editing it/ });
    // The panel takes focus in an effect after it is drawn: under load that can be a moment after it appears.
    await waitFor(() => expect(conflict).toHaveFocus());
    // The draft stays, carried over onto the saved version (their priority, my title), which is shown beside it.
    expect(within(dialog).getByLabelText('Title')).toHaveValue('My plan');
    expect(within(dialog).getByLabelText('Priority')).toHaveValue('high');
    const rows = within(conflict).getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(rows).toEqual(['Title“Final plan (by Bo)”“My plan”', 'PriorityHighnot changed']);
    expect(versions.patches).toEqual([{ body: { title: 'My plan' }, ifMatch: '"v1"' }]);

    await user.click(within(conflict).getByRole('button', { name: 'Apply my changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // Only what the person changed, sent with the saved version's tag: their priority stays.
    expect(versions.patches[1]).toEqual({ body: { title: 'My plan' }, ifMatch: '"v2"' });
  });

  it('on 412 can drop the draft and load the saved version instead', async () => {
    const mine = makeTask({ title: 'Draft plan', priority: 'low' });
    const theirs = { ...mine, title: 'Final plan (by Bo)', priority: 'high' as const, updated_at: '2026-11-23T10:00:00.000Z' };
    const versions = serveVersions([
      { task: mine, etag: '"v1"' },
      { task: theirs, etag: '"v2"' },
    ]);
    const { user } = renderApp();

    await user.click(await screen.findByRole('button', { name: 'Edit “Draft plan”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
    await user.type(await within(dialog).findByLabelText('Title'), ' v2');
    versions.advance();
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await user.click(await within(dialog).findByRole('button', { name: 'Discard my changes' }));

    expect(within(dialog).getByLabelText('Title')).toHaveValue('Final plan (by Bo)');
    expect(within(dialog).getByLabelText('Title')).toHaveFocus();
    expect(within(dialog).getByLabelText('Priority')).toHaveValue('high');
    expect(within(dialog).queryByRole('region', { name: /saved this task/ })).not.toBeInTheDocument();
    await user.selectOptions(within(dialog).getByLabelText('Status'), 'done');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(versions.patches[1]).toEqual({ body: { status: 'done' }, ifMatch: '"v2"' });
  });

  it('says so when the task was deleted meanwhile', async () => {
    const task = makeTask({ title: 'Gone soon' });
    serveTaskList([task]);
    server.use(
      http.get(api(`/tasks/${task.id}`), () =>
        HttpResponse.json({ statusCode: 404, error: 'Not Found', message: 'Task not found' }, { status: 404 }),
      ),
    );
    const { user } = renderApp();

    await user.click(await screen.findByRole('button', { name: 'Edit “Gone soon”' }));

    const dialog = await screen.findByRole('dialog', { name: 'Edit task' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This task no longer exists.');
  });
});
