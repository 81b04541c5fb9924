import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { api, makeTask, server, serveTaskList } from '../../test/fake-api';
import { makeUser, serveAccounts, sessionBody, unauthorized } from '../../test/fake-accounts';
import { renderApp } from '../../test/render-app';
import { acceptSession, renewAccessToken } from './auth-session';

/** GET /tasks that accepts only the given tokens, recording the Authorization header of every call. */
function serveTasksFor(accepts: (token: string | undefined) => boolean, tasks = [makeTask({ title: 'Visible task' })]) {
  const authorizations: (string | null)[] = [];
  const list = serveTaskList(tasks);
  server.use(
    http.get(api('/tasks'), ({ request }) => {
      const header = request.headers.get('Authorization');
      authorizations.push(header);
      if (!accepts(header?.replace(/^Bearer /, ''))) return unauthorized();
      // Fall through to serveTaskList's handler.
      return undefined;
    }),
  );
  return { authorizations, list };
}

describe('The session', () => {
  it('restores the session on load with one refresh, also under Strict Mode, and sends the token', async () => {
    const accounts = serveAccounts({ user: makeUser({ name: 'Ana' }) });
    const { authorizations } = serveTasksFor((token) => token === 'token-1');
    window.history.replaceState(null, '', '/');
    render(
      <StrictMode>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <App />
        </QueryClientProvider>
      </StrictMode>,
    );

    await screen.findByText('Visible task');
    expect(screen.getByText('Ana')).toBeInTheDocument();
    expect(accounts.seen.refreshes).toBe(1);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer token-1']));
  });

  it('on a 401 refreshes once and sends the request again with the new token', async () => {
    const accounts = serveAccounts({ user: makeUser() });
    // The token from the load has expired by the time the list is asked for.
    const { authorizations } = serveTasksFor((token) => token === 'token-2');
    renderApp('/');

    await screen.findByText('Visible task');
    expect(accounts.seen.refreshes).toBe(2);
    expect(authorizations).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('shares one refresh between requests that meet a 401 at the same time', async () => {
    const accounts = serveAccounts({ user: makeUser() });
    server.use(
      http.post(api('/auth/refresh'), async () => {
        // Slow enough that the three board columns all meet their 401 while it runs.
        await delay(100);
        accounts.seen.refreshes += 1;
        const token = `token-${accounts.seen.refreshes}`;
        accounts.seen.tokens.push(token);
        return HttpResponse.json({ access_token: token, token_type: 'bearer', expires_in: 900 });
      }),
    );
    const { authorizations } = serveTasksFor((token) => token === 'token-2');
    renderApp('/?view=board');

    await screen.findByRole('region', { name: /^Done/ });
    expect(accounts.seen.refreshes).toBe(2);
    expect(authorizations.filter((header) => header === 'Bearer token-1')).toHaveLength(3);
    expect(authorizations.filter((header) => header === 'Bearer token-2')).toHaveLength(3);
  });

  it('never presents the cookie twice at once, however many callers want a new token', async () => {
    const accounts = serveAccounts({ user: makeUser() });
    const tokens = await Promise.all([renewAccessToken(), renewAccessToken(), renewAccessToken()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(accounts.seen.refreshes).toBe(1);
  });

  it('goes to sign-in with the address to come back to when the session is over, and comes back after signing in', async () => {
    const user = makeUser({ name: 'Bo', email: 'bo@example.com' });
    const accounts = serveAccounts({ user });
    serveTasksFor(() => accounts.seen.session === 'active');
    const logins: unknown[] = [];
    server.use(
      http.post(api('/auth/login'), async ({ request }) => {
        logins.push(await request.json());
        accounts.seen.session = 'active';
        return HttpResponse.json(sessionBody(user, 'token-after-login'));
      }),
    );
    const { user: person } = renderApp('/?view=board&sort=title');
    await screen.findByRole('region', { name: /^Done/ });

    // An admin disables Bo, or Bo signs out everywhere from another device.
    accounts.endSession();
    await person.click(screen.getByRole('link', { name: 'List' }));

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.getByText('Your session has ended. Sign in again to continue where you were.')).toBeInTheDocument();
    expect(window.location.pathname).toBe('/signin');
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/?sort=title');

    await person.type(screen.getByLabelText('Email'), 'bo@example.com');
    await person.type(screen.getByLabelText('Password'), 'correct horse battery');
    await person.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByText('Visible task');
    expect(`${window.location.pathname}${window.location.search}`).toBe('/?sort=title');
    expect(logins).toEqual([{ email: 'bo@example.com', password: 'correct horse battery' }]);
  });

  it('shows sign-in, without asking for any task, when there is no session to restore', async () => {
    serveAccounts();
    const { authorizations } = serveTasksFor(() => true);
    renderApp('/?view=stats');

    await screen.findByRole('heading', { name: 'Sign in' });
    await waitFor(() => expect(window.location.pathname).toBe('/signin'));
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/?view=stats');
    expect(screen.queryByText('Your session has ended.', { exact: false })).not.toBeInTheDocument();
    expect(authorizations).toEqual([]);
  });

  it('signs out: ends the session on the server and shows sign-in', async () => {
    const accounts = serveAccounts({ user: makeUser({ name: 'Ana' }) });
    serveTasksFor(() => true);
    const { user } = renderApp('/');
    await screen.findByText('Visible task');
    expect(screen.getByRole('navigation', { name: 'Account' })).toHaveTextContent('Signed in as Ana');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(window.location.pathname).toBe('/signin');
    expect(accounts.seen.session).toBe('ended');
    expect(screen.queryByText('Visible task')).not.toBeInTheDocument();
  });

  it('with accounts off, works without any sign-in UI', async () => {
    serveTasksFor(() => true);
    renderApp('/');
    await screen.findByText('Visible task');
    expect(screen.queryByRole('navigation', { name: 'Account' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it('says when the server cannot be reached at load, and tries again on request', async () => {
    server.use(http.get(api('/auth/status'), () => HttpResponse.error()));
    const { user } = renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The TaskFlow server is not responding.');

    serveAccounts();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByRole('heading', { name: 'Sign in' });
  });

  it('keeps a new session in memory only', async () => {
    serveAccounts();
    acceptSession(sessionBody(makeUser(), 'secret-token'));
    expect(JSON.stringify({ ...window.localStorage })).not.toContain('secret-token');
    expect(JSON.stringify({ ...window.sessionStorage })).not.toContain('secret-token');
    expect(document.cookie).not.toContain('secret-token');
  });
});
