import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { User } from '../../auth/auth.types';
import { api, server } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';

function serveTeam(me: User, others: User[], { email }: { email: boolean }) {
  const seen = { resets: [] as string[], invitations: [] as unknown[] };
  serveAccounts({ user: me, status: { email } });
  server.use(
    http.get(api('/users'), () => HttpResponse.json([me, ...others])),
    http.get(api('/users/invitations'), () => HttpResponse.json([])),
    http.post(api('/users/:id/password-reset'), ({ params }) => {
      seen.resets.push(String(params.id));
      // Without APP_URL the server answers a path, which the app completes with its own origin.
      return HttpResponse.json(
        { token: `tok-${seen.resets.length}`, url: `/reset-password?token=tok-${seen.resets.length}`, expires_at: '2026-12-07T10:00:00.000Z' },
        { status: 201 },
      );
    }),
    http.post(api('/users/invitations'), async ({ request }) => {
      const body = (await request.json()) as { role: 'admin' | 'member'; email?: string };
      seen.invitations.push(body);
      return HttpResponse.json(
        { id: 'inv-1', role: body.role, email: body.email ?? null, expires_at: '2026-12-14T09:00:00.000Z', code: 'code-xyz' },
        { status: 201 },
      );
    }),
  );
  return seen;
}

describe('Members page, reset links', () => {
  it('lets an admin create a reset link for a member, shown once to copy, with its expiry', async () => {
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    const bob = makeUser({ name: 'Bob' });
    const seen = serveTeam(admin, [bob], { email: false });
    const { user } = renderApp('/members');

    await user.click(await screen.findByRole('button', { name: 'Create reset link for Bob' }));

    const link = await screen.findByLabelText('Reset link for Bob');
    expect(link).toHaveValue(`${window.location.origin}/reset-password?token=tok-1`);
    expect(seen.resets).toEqual([bob.id]);
    const notice = screen.getByText('Reset link created for Bob.').closest('[role="status"]') as HTMLElement;
    expect(notice).toHaveFocus();
    expect(notice).toHaveTextContent('It is shown only this once');
    expect(notice).toHaveTextContent('Dec 7, 2026');

    await user.click(within(notice).getByRole('button', { name: 'Done' }));
    expect(screen.queryByLabelText('Reset link for Bob')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create reset link for Bob' })).toHaveFocus();
  });

  it('offers no reset link to members', async () => {
    const member = makeUser({ name: 'Cy' });
    serveTeam(member, [makeUser({ name: 'Dee' })], { email: false });
    renderApp('/members');
    await screen.findByText('Dee');
    expect(screen.queryByRole('button', { name: /Create a reset link/ })).not.toBeInTheDocument();
  });
});

describe('Members page, invitations by email', () => {
  it('sends an invitation by email when the server sends email, the address then required', async () => {
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    const seen = serveTeam(admin, [], { email: true });
    const { user } = renderApp('/members');

    const form = await screen.findByRole('form', { name: 'Invite someone' });
    expect(within(form).getByRole('checkbox', { name: 'Send by email' })).toBeChecked();
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(within(form).getByLabelText('Email')).toHaveAccessibleDescription(
      expect.stringContaining('Enter the address to send the invitation to.'),
    );
    expect(seen.invitations).toEqual([]);

    await user.type(within(form).getByLabelText('Email'), 'eve@example.com');
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));

    expect(await screen.findByText('Invitation emailed to eve@example.com, as member.')).toBeInTheDocument();
    expect(screen.getByLabelText('Invitation link')).toHaveValue(`${window.location.origin}/register?invitation=code-xyz`);
    expect(seen.invitations).toEqual([{ role: 'member', email: 'eve@example.com' }]);
  });

  it('creates a link for anyone, sent by nobody, when "Send by email" is unticked (keeping the typed address)', async () => {
    const admin = makeUser({ name: 'Ana', role: 'admin' });
    const seen = serveTeam(admin, [], { email: true });
    const { user } = renderApp('/members');

    const form = await screen.findByRole('form', { name: 'Invite someone' });
    await user.type(within(form).getByLabelText('Email'), 'eve@example.com');
    await user.click(within(form).getByRole('checkbox', { name: 'Send by email' }));
    expect(within(form).queryByLabelText('Email')).not.toBeInTheDocument();
    await user.click(within(form).getByRole('checkbox', { name: 'Send by email' }));
    expect(within(form).getByLabelText('Email')).toHaveValue('eve@example.com');
    await user.click(within(form).getByRole('checkbox', { name: 'Send by email' }));
    await user.click(within(form).getByRole('button', { name: 'Create invitation link' }));

    expect(await screen.findByText('Invitation created for anyone with the link, as member.')).toBeInTheDocument();
    expect(seen.invitations).toEqual([{ role: 'member' }]);
  }, 15_000);
});
