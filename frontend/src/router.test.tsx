import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, generalProject, makeTask, server, serveTaskList } from './test/fake-api';
import { makeUser, serveAccounts } from './test/fake-accounts';
import { renderApp } from './test/render-app';

describe('The routes', () => {
  it('shows a real 404 page at an address the app has no page for', async () => {
    serveTaskList([]);
    const { user } = renderApp('/no/such/page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(document.title).toBe('Page not found · TaskFlow');

    await user.click(screen.getByRole('link', { name: 'Go to the tasks' }));
    expect(await screen.findByRole('button', { name: '+ New task' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/');
  });

  it('opens a project by its key, lists only its tasks, and keeps the filters in the URL', async () => {
    const web = { ...generalProject, id: '20000000-0000-4000-8000-000000000002', key: 'WEB', name: 'Website', default: false };
    server.use(http.get(api('/projects/:id'), ({ params }) => HttpResponse.json(params.id === 'WEB' ? web : generalProject)));
    const queries = serveTaskList([makeTask({ title: 'Landing page', priority: 'high', project_id: web.id, key: 'WEB-1' })]);
    renderApp('/projects/WEB?priority=high');

    expect(await screen.findByRole('heading', { name: /Website/ })).toBeInTheDocument();
    await screen.findByRole('list', { name: 'Tasks' });
    expect(Object.fromEntries(queries.at(-1)!)).toMatchObject({ project_id: web.id, priority: 'high' });
    expect(screen.getByLabelText('Priority')).toHaveValue('high');
  });

  it('opens a task page from its row, by key, with its history beside the form', async () => {
    const task = makeTask({ title: 'Write the report', key: 'TF-7' });
    serveTaskList([task]);
    server.use(
      http.get(api('/tasks/:id'), ({ params }) =>
        params.id === 'TF-7' || params.id === task.id
          ? HttpResponse.json(task, { headers: { ETag: '"v1"' } })
          : HttpResponse.json({ statusCode: 404, message: 'Not found', error: 'Not Found' }, { status: 404 }),
      ),
    );
    const { user } = renderApp('/');
    const list = await screen.findByRole('list', { name: 'Tasks' });

    await user.click(within(list).getByRole('link', { name: /Write the report/ }));

    expect(window.location.pathname).toBe('/tasks/TF-7');
    expect(await screen.findByRole('heading', { name: 'Write the report', level: 2 })).toBeInTheDocument();
    expect(await screen.findByLabelText('Title')).toHaveValue('Write the report');
    expect(screen.getByRole('heading', { name: 'History' })).toBeInTheDocument();
    expect(screen.getByLabelText('Link to this task')).toHaveValue(`${window.location.origin}/tasks/TF-7`);
  });

  it('says so when a task key does not exist', async () => {
    server.use(
      http.get(api('/tasks/:id'), () =>
        HttpResponse.json({ statusCode: 404, message: 'Task TF-99 not found', error: 'Not Found' }, { status: 404 }),
      ),
    );
    renderApp('/tasks/TF-99');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });

  it('lists the signed-in person’s own tasks on My tasks', async () => {
    serveAccounts({ user: makeUser() });
    const queries = serveTaskList([makeTask({ title: 'Mine' })]);
    renderApp('/my-tasks');
    expect(await screen.findByRole('heading', { name: 'My tasks' })).toBeInTheDocument();
    await screen.findByText('Mine');
    expect(queries.at(-1)!.get('assignee_id')).toBe('me');
  });
});
