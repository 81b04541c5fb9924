import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, generalProject, makeTask, server, serveTaskList } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { Project } from '../project.types';

/** An in-memory /projects that creates, changes and deletes, recording every write. */
function serveProjects(initial: Project[]) {
  let projects = [...initial];
  const writes: string[] = [];
  server.use(
    http.get(api('/projects'), ({ request }) => {
      const all = new URL(request.url).searchParams.get('include_archived') === 'true';
      return HttpResponse.json(projects.filter((project) => all || !project.archived));
    }),
    http.post(api('/projects'), async ({ request }) => {
      const body = (await request.json()) as { key: string; name: string };
      writes.push(`POST ${body.key} ${body.name}`);
      if (projects.some((project) => project.key === body.key)) {
        return HttpResponse.json({ statusCode: 409, error: 'Conflict', message: 'Key taken' }, { status: 409 });
      }
      const created = { ...generalProject, id: `p-${body.key}`, key: body.key, name: body.name, default: false, task_count: 0 };
      projects.push(created);
      return HttpResponse.json(created, { status: 201 });
    }),
    http.patch(api('/projects/:id'), async ({ params, request }) => {
      const changes = (await request.json()) as Partial<Project>;
      writes.push(`PATCH ${String(params.id)} ${JSON.stringify(changes)}`);
      projects = projects.map((project) =>
        project.id === params.id ? { ...project, ...changes } : changes.default ? { ...project, default: false } : project,
      );
      return HttpResponse.json(projects.find((project) => project.id === params.id));
    }),
    http.delete(api('/projects/:id'), ({ params }) => {
      writes.push(`DELETE ${String(params.id)}`);
      projects = projects.filter((project) => project.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return writes;
}

const web: Project = { ...generalProject, id: 'p-WEB', key: 'WEB', name: 'Website', default: false, task_count: 0 };

describe('Projects', () => {
  it('lists the projects with their task counts under the header, the current one marked', async () => {
    serveProjects([{ ...generalProject, task_count: 12 }, { ...web, task_count: 3 }]);
    server.use(http.get(api('/projects/:id'), () => HttpResponse.json(web)));
    serveTaskList([]);
    renderApp('/projects/web');

    const nav = await screen.findByRole('navigation', { name: 'Projects' });
    expect(within(nav).getByRole('link', { name: 'TF General 12 tasks' })).toHaveAttribute('href', '/projects/TF');
    expect(await within(nav).findByRole('link', { name: 'WEB Website 3 tasks' })).toHaveAttribute('aria-current', 'page');
  });

  it('lets an admin create, rename, archive, make default and delete an empty project', async () => {
    serveAccounts({ user: makeUser({ role: 'admin' }) });
    const writes = serveProjects([generalProject, web]);
    serveTaskList([]);
    const { user } = renderApp('/projects');

    await screen.findByRole('heading', { name: 'Projects', level: 2 });
    await user.type(screen.getByLabelText('Key'), 'ops');
    await user.type(screen.getByLabelText('Name'), 'Operations');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    expect(await screen.findByText('Project OPS created.')).toBeInTheDocument();
    expect(writes).toContain('POST OPS Operations');

    await user.click(await screen.findByRole('button', { name: 'Rename WEB' }));
    const rename = screen.getByRole('form', { name: 'Rename WEB' });
    await user.clear(within(rename).getByLabelText('Name'));
    await user.type(within(rename).getByLabelText('Name'), 'Web site');
    await user.click(within(rename).getByRole('button', { name: 'Save' }));
    await user.click(await screen.findByRole('button', { name: 'Make WEB the default' }));
    await user.click(await screen.findByRole('button', { name: 'Archive TF' }));
    await user.click(await screen.findByRole('button', { name: 'Delete OPS' }));

    await waitFor(() =>
      expect(writes).toEqual([
        'POST OPS Operations',
        'PATCH p-WEB {"name":"Web site"}',
        'PATCH p-WEB {"default":true}',
        `PATCH ${generalProject.id} {"archived":true}`,
        'DELETE p-OPS',
      ]),
    );
    // The default project can be neither archived nor deleted; a project holding tasks cannot be deleted.
    const webItem = within(screen.getByRole('list', { name: 'Projects' })).getByText('Web site').closest('li')!;
    expect(within(webItem).queryByRole('button', { name: /Archive|Delete/ })).not.toBeInTheDocument();
  });

  it('says when the key is taken, beside the key', async () => {
    const writes = serveProjects([generalProject]);
    serveTaskList([]);
    const { user } = renderApp('/projects');
    await user.type(await screen.findByLabelText('Key'), 'tf');
    await user.type(screen.getByLabelText('Name'), 'Again');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    expect(await screen.findByText('Another project already has this key.')).toBeInTheDocument();
    expect(writes).toEqual(['POST TF Again']);
  });

  it('refuses a malformed key before sending anything', async () => {
    const writes = serveProjects([generalProject]);
    serveTaskList([]);
    const { user } = renderApp('/projects');
    await user.type(await screen.findByLabelText('Key'), '1x');
    await user.type(screen.getByLabelText('Name'), 'Bad');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    expect(await screen.findByText('2 to 10 letters or digits, starting with a letter.')).toBeInTheDocument();
    expect(writes).toEqual([]);
  });

  it('is not there for members', async () => {
    serveAccounts({ user: makeUser({ role: 'member' }) });
    serveTaskList([makeTask()]);
    renderApp('/projects');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});
