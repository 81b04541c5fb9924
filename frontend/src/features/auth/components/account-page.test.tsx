import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, server } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { ApiToken, SessionInfo, User } from '../auth.types';

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1';

function serveAccount(me: User, { sessions = [] as SessionInfo[], tokens = [] as ApiToken[] } = {}) {
  const accounts = serveAccounts({ user: me });
  const seen = { patches: [] as unknown[], endedSessions: [] as string[], createdTokens: [] as unknown[], revoked: [] as string[] };
  server.use(
    http.patch(api('/auth/me'), async ({ request }) => {
      const body = (await request.json()) as Record<string, string>;
      seen.patches.push(body);
      if ((body.email || body.password) && body.current_password !== 'old password') {
        return HttpResponse.json({ statusCode: 403, error: 'Forbidden', message: 'Current password is wrong' }, { status: 403 });
      }
      Object.assign(me, body.name ? { name: body.name } : {}, body.email ? { email: body.email } : {});
      return HttpResponse.json(me);
    }),
    http.get(api('/auth/sessions'), () => HttpResponse.json(sessions)),
    http.delete(api('/auth/sessions/:id'), ({ params }) => {
      seen.endedSessions.push(String(params.id));
      sessions.splice(sessions.findIndex((session) => session.id === params.id), 1);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(api('/auth/tokens'), () => HttpResponse.json(tokens)),
    http.post(api('/auth/tokens'), async ({ request }) => {
      const body = (await request.json()) as { name: string; scope: 'read' | 'write'; expires_in_days?: number };
      seen.createdTokens.push(body);
      const token: ApiToken = {
        id: `tok-${tokens.length + 1}`,
        name: body.name,
        scope: body.scope,
        created_at: '2026-11-25T09:00:00.000Z',
        expires_at: body.expires_in_days ? '2026-12-25T09:00:00.000Z' : null,
        last_used_at: null,
      };
      tokens.push(token);
      return HttpResponse.json({ ...token, token: 'tf_secretsecretsecret' }, { status: 201 });
    }),
    http.delete(api('/auth/tokens/:id'), ({ params }) => {
      seen.revoked.push(String(params.id));
      tokens.splice(tokens.findIndex((token) => token.id === params.id), 1);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { accounts, seen };
}

describe('Account page', () => {
  it('changes the name without asking for the password, and shows it in the header', async () => {
    const me = makeUser({ name: 'Ana' });
    const { seen } = serveAccount(me);
    const { user } = renderApp('/account');

    const name = await screen.findByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Ana María');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));

    await screen.findByText('Saved.');
    expect(seen.patches).toEqual([{ name: 'Ana María' }]);
    expect(screen.getByRole('navigation', { name: 'Account' })).toHaveTextContent('Signed in as Ana María');
  });

  it('asks for the current password to change the email or the password, and says when it is wrong', async () => {
    const me = makeUser({ email: 'ana@example.com' });
    const { seen } = serveAccount(me);
    const { user } = renderApp('/account');

    await user.type(await screen.findByLabelText('New password'), 'a new long password');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    const current = screen.getByLabelText('Current password');
    expect(current).toHaveAccessibleDescription(expect.stringContaining('Enter your current password'));
    expect(seen.patches).toEqual([]);

    await user.type(current, 'not it');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(current).toHaveAccessibleDescription(expect.stringContaining('This is not your current password.')));

    await user.clear(current);
    await user.type(current, 'old password');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await screen.findByText('Saved. Your other sessions were signed out.');
    expect(seen.patches.at(-1)).toEqual({ password: 'a new long password', current_password: 'old password' });
    expect(screen.getByLabelText('New password')).toHaveValue('');
  });

  it('lists the sessions with this one marked, and signs another one out', async () => {
    const { seen } = serveAccount(makeUser(), {
      sessions: [
        { id: 's-phone', created_at: '2026-11-20T08:00:00.000Z', last_used_at: '2026-11-24T18:00:00.000Z', user_agent: iphone, current: false },
        { id: 's-here', created_at: '2026-11-25T08:00:00.000Z', last_used_at: '2026-11-25T09:00:00.000Z', user_agent: chrome, current: true },
      ],
    });
    const { user } = renderApp('/account');

    const list = await screen.findByRole('list', { name: 'Sessions' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveTextContent('Chrome on Linux');
    expect(within(first).getByText('This device')).toBeInTheDocument();
    expect(second).toHaveTextContent('Safari on iOS');

    await user.click(within(second).getByRole('button', { name: /^Sign out Safari on iOS/ }));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(seen.endedSessions).toEqual(['s-phone']);
  });

  it('signs out when this device’s session is ended', async () => {
    const { accounts } = serveAccount(makeUser(), {
      sessions: [{ id: 's-here', created_at: '2026-11-25T08:00:00.000Z', last_used_at: '2026-11-25T09:00:00.000Z', user_agent: chrome, current: true }],
    });
    const { user } = renderApp('/account');
    await user.click(await screen.findByRole('button', { name: 'Sign out on this device' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(accounts.seen.session).toBe('ended');
  });

  it('creates an API token, shows it once with a copy button, and revokes it', async () => {
    const { seen } = serveAccount(makeUser());
    const { user } = renderApp('/account');

    const form = await screen.findByRole('form', { name: 'Create an API token' });
    await user.type(within(form).getByLabelText('Token name'), 'Nightly export');
    await user.selectOptions(within(form).getByLabelText('Scope'), 'write');
    await user.type(within(form).getByLabelText('Expires in (days)'), '400');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));
    expect(within(form).getByLabelText('Expires in (days)')).toHaveAccessibleDescription(expect.stringContaining('from 1 to 365'));

    await user.clear(within(form).getByLabelText('Expires in (days)'));
    await user.type(within(form).getByLabelText('Expires in (days)'), '30');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));

    const shown = await screen.findByLabelText('Your new API token');
    expect(shown).toHaveValue('tf_secretsecretsecret');
    expect(screen.getByText('Copy it now: it will not be shown again.')).toBeInTheDocument();
    expect(seen.createdTokens).toEqual([{ name: 'Nightly export', scope: 'write', expires_in_days: 30 }]);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await expect(navigator.clipboard.readText()).resolves.toBe('tf_secretsecretsecret');

    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByDisplayValue('tf_secretsecretsecret')).not.toBeInTheDocument();
    const tokens = await screen.findByRole('list', { name: 'API tokens' });
    expect(tokens).toHaveTextContent('Nightly export');
    expect(tokens).toHaveTextContent('Read and write');

    await user.click(within(tokens).getByRole('button', { name: 'Revoke the token “Nightly export”' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Revoke token?' })).getByRole('button', { name: 'Revoke' }));
    await screen.findByText('No API tokens yet.');
    expect(seen.revoked).toEqual(['tok-1']);
  });
});
