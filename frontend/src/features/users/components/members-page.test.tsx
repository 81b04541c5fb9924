import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { User } from '../../auth/auth.types';
import { api, server } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { Invitation } from '../user.types';

function serveTeam(me: User, others: User[], invitations: Invitation[] = []) {
  const users = [me, ...others];
  const patches: { id: string; body: unknown }[] = [];
  const created: unknown[] = [];
  const deleted: string[] = [];
  serveAccounts({ user: me });
  server.use(
    http.get(api('/users'), () => HttpResponse.json(users)),
    http.patch(api('/users/:id'), async ({ params, request }) => {
      const body = (await request.json()) as Partial<User>;
      patches.push({ id: String(params.id), body });
      const index = users.findIndex((user) => user.id === params.id);
      users[index] = { ...users[index], ...body };
      return HttpResponse.json(users[index]);
    }),
    http.get(api('/users/invitations'), () => HttpResponse.json(invitations)),
    http.post(api('/users/invitations'), async ({ request }) => {
      const body = (await request.json()) as { role: 'admin' | 'member'; email?: string };
      created.push(body);
      const invitation = { id: `inv-${created.length}`, role: body.role, email: body.email ?? null, expires_at: '2026-12-08T09:00:00.000Z' };
      invitations.push(invitation);
      return HttpResponse.json({ ...invitation, code: 'code-xyz' }, { status: 201 });
    }),
    http.delete(api('/users/invitations/:id'), ({ params }) => {
      deleted.push(String(params.id));
      invitations.splice(invitations.findIndex((item) => item.id === params.id), 1);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { patches, created, deleted };
}

describe('Members page', () => {
  it('lets an admin invite someone with a link to copy', async () => {
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    const { created } = serveTeam(admin, []);
    const { user } = renderApp('/members');

    const form = await screen.findByRole('form', { name: 'Invite someone' });
    await user.selectOptions(within(form).getByLabelText('Role'), 'admin');
    await user.type(within(form).getByLabelText('Email (optional)'), 'cy@example.com');
    await user.click(within(form).getByRole('button', { name: 'Create invitation link' }));

    const link = await screen.findByLabelText('Invitation link');
    expect(link).toHaveValue(`${window.location.origin}/register?invitation=code-xyz`);
    expect(created).toEqual([{ role: 'admin', email: 'cy@example.com' }]);
    expect(screen.getByText('Invitation created for cy@example.com, as admin.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await expect(navigator.clipboard.readText()).resolves.toBe(`${window.location.origin}/register?invitation=code-xyz`);
    expect(screen.getByRole('button', { name: 'Copied' })).toBeInTheDocument();

    const pending = await screen.findByRole('list', { name: 'Pending invitations' });
    expect(within(pending).getByText('cy@example.com')).toBeInTheDocument();
  });

  it('lists pending invitations and deletes one', async () => {
    const admin = makeUser({ role: 'admin' });
    const { deleted } = serveTeam(admin, [], [
      { id: 'inv-a', role: 'member', email: null, expires_at: '2026-12-08T09:00:00.000Z' },
      { id: 'inv-b', role: 'member', email: 'dee@example.com', expires_at: '2026-12-09T09:00:00.000Z' },
    ]);
    const { user } = renderApp('/members');

    const pending = await screen.findByRole('list', { name: 'Pending invitations' });
    expect(within(pending).getAllByRole('listitem')).toHaveLength(2);
    await user.click(within(pending).getByRole('button', { name: 'Delete the invitation for dee@example.com' }));
    await waitFor(() => expect(within(pending).getAllByRole('listitem')).toHaveLength(1));
    expect(deleted).toEqual(['inv-b']);
    expect(within(pending).getByText('Anyone with the link')).toBeInTheDocument();
  });

  it('lets an admin change a role, and disable and enable a member', async () => {
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    const bo = makeUser({ name: 'Bo' });
    const { patches } = serveTeam(admin, [bo]);
    const { user } = renderApp('/members');

    const members = await screen.findByRole('list', { name: 'Members' });
    await user.selectOptions(within(members).getByLabelText('Role of Bo'), 'admin');
    await waitFor(() => expect(patches).toEqual([{ id: bo.id, body: { role: 'admin' } }]));

    await user.click(within(members).getByRole('button', { name: 'Disable Bo' }));
    await within(members).findByText('Disabled');
    await user.click(within(members).getByRole('button', { name: 'Enable Bo' }));
    await waitFor(() => expect(within(members).queryByText('Disabled')).not.toBeInTheDocument());
    expect(patches.slice(1)).toEqual([
      { id: bo.id, body: { disabled: true } },
      { id: bo.id, body: { disabled: false } },
    ]);
    // No way to lock oneself out by accident.
    expect(within(members).queryByRole('button', { name: 'Disable Ana' })).not.toBeInTheDocument();
  });

  it('says why a change was refused (409: it would leave no admin)', async () => {
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    serveTeam(admin, []);
    server.use(
      http.patch(api('/users/:id'), () =>
        HttpResponse.json({ statusCode: 409, error: 'Conflict', message: 'This would leave no enabled admin' }, { status: 409 }),
      ),
    );
    const { user } = renderApp('/members');
    await user.selectOptions(await screen.findByLabelText('Role of Ana'), 'member');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not change the role of Ana: This would leave no enabled admin');
  });

  it('shows members a read-only list', async () => {
    const member = makeUser({ name: 'Bo', role: 'member' });
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    let invitationsAsked = false;
    serveTeam(member, [admin]);
    server.use(
      http.get(api('/users/invitations'), () => {
        invitationsAsked = true;
        return HttpResponse.json({ statusCode: 403, message: 'Admins only' }, { status: 403 });
      }),
    );
    renderApp('/members');

    const members = await screen.findByRole('list', { name: 'Members' });
    expect(within(members).getAllByRole('listitem')).toHaveLength(2);
    expect(within(members).getByText('Admin')).toBeInTheDocument();
    expect(within(members).queryByRole('combobox')).not.toBeInTheDocument();
    expect(within(members).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Invite someone' })).not.toBeInTheDocument();
    expect(invitationsAsked).toBe(false);
  });
});
