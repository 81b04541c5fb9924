import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, server, serveTaskList } from '../../../test/fake-api';
import { makeUser, serveAccounts, sessionBody, unauthorized } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import { resetAuthSession } from '../auth-session';

function recordPosts(path: string, reply: (body: Record<string, unknown>) => Response) {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(api(path), async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return reply(body);
    }),
  );
  return bodies;
}

describe('Set-up', () => {
  it('creates the first admin with the set-up token and opens the members page', async () => {
    serveAccounts({ status: { setup_required: true } });
    const admin = makeUser({ name: 'Ana Admin', role: 'admin' });
    server.use(
      http.get(api('/users'), () => HttpResponse.json([admin])),
      http.get(api('/users/invitations'), () => HttpResponse.json([])),
    );
    const bodies = recordPosts('/auth/setup', (body) =>
      body.setup_token === 'the-token' ? HttpResponse.json(sessionBody(admin), { status: 201 }) : HttpResponse.json({}, { status: 403 }),
    );
    const { user } = renderApp('/');

    await screen.findByRole('heading', { name: 'Set up TaskFlow' });
    await user.type(screen.getByLabelText('Set-up token'), 'wrong');
    await user.type(screen.getByLabelText('Your name'), ' Ana Admin ');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create the admin account' }));

    const token = screen.getByLabelText('Set-up token');
    await waitFor(() => expect(token).toHaveAccessibleDescription(expect.stringContaining('This is not the server’s set-up token.')));
    await user.clear(token);
    await user.type(token, ' the-token ');
    await user.click(screen.getByRole('button', { name: 'Create the admin account' }));

    await screen.findByRole('heading', { name: 'Members' });
    expect(window.location.pathname).toBe('/members');
    expect(screen.getByRole('navigation', { name: 'Account' })).toHaveTextContent('Signed in as Ana Admin');
    expect(bodies.at(-1)).toEqual({ setup_token: 'the-token', email: 'ana@example.com', name: 'Ana Admin', password: 'long enough' });
  });

  it('checks the fields before sending anything', async () => {
    serveAccounts({ status: { setup_required: true } });
    const bodies = recordPosts('/auth/setup', () => HttpResponse.json({}, { status: 500 }));
    const { user } = renderApp('/');
    await screen.findByRole('heading', { name: 'Set up TaskFlow' });
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create the admin account' }));

    expect(screen.getByLabelText('Set-up token')).toHaveAccessibleDescription(expect.stringContaining('Enter the set-up token'));
    expect(screen.getByLabelText('Your name')).toHaveAccessibleDescription('Name is required.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an email address like ana@example.com.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(expect.stringContaining('at least 8 characters'));
    expect(bodies).toEqual([]);
  });

  it('sends someone who arrives second to sign-in (409)', async () => {
    const accounts = serveAccounts({ status: { setup_required: true } });
    recordPosts('/auth/setup', () =>
      HttpResponse.json({ statusCode: 409, error: 'Conflict', message: 'Already set up' }, { status: 409 }),
    );
    const { user } = renderApp('/');
    await screen.findByRole('heading', { name: 'Set up TaskFlow' });
    await user.type(screen.getByLabelText('Set-up token'), 't');
    await user.type(screen.getByLabelText('Your name'), 'Late');
    await user.type(screen.getByLabelText('Email'), 'late@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create the admin account' }));

    await screen.findByRole('heading', { name: 'Already set up' });
    let statusChecks = 0;
    server.use(
      http.get(api('/auth/status'), () => {
        statusChecks += 1;
        return HttpResponse.json({ auth_mode: 'required', setup_required: false, registration: 'invite' });
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Go to sign-in' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    // The app asked the server again; this browser never had a session, so there was none to restore.
    expect(statusChecks).toBeGreaterThan(0);
    expect(accounts.seen.refreshes).toBe(0);
  });
});

describe('Sign-in', () => {
  it('says the email or password is wrong without trying to refresh', async () => {
    const accounts = serveAccounts();
    recordPosts('/auth/login', () => unauthorized('Invalid email or password'));
    const { user } = renderApp('/signin');
    await screen.findByRole('heading', { name: 'Sign in' });
    const before = accounts.seen.refreshes;

    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password');
    expect(accounts.seen.refreshes).toBe(before);
  });

  it('says how long to wait after too many attempts (429 with Retry-After)', async () => {
    serveAccounts();
    recordPosts('/auth/login', () =>
      HttpResponse.json(
        { statusCode: 429, error: 'Too Many Requests', message: 'Too many sign-in attempts' },
        { status: 429, headers: { 'Retry-After': '840' } },
      ),
    );
    const { user } = renderApp('/signin');
    await user.type(await screen.findByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Password'), 'whatever it is');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 14 minutes.');
  });

  it('offers registration only when it is open', async () => {
    serveAccounts({ status: { registration: 'open' } });
    const { user, unmount } = renderApp('/signin');
    await user.click(await screen.findByRole('link', { name: 'Create an account' }));
    await screen.findByRole('heading', { name: 'Create your account' });
    expect(window.location.pathname).toBe('/register');
    unmount();
    resetAuthSession();

    serveAccounts();
    renderApp('/signin');
    await screen.findByText('New here? Ask an admin of your team for an invitation link.');
    expect(screen.queryByRole('link', { name: 'Create an account' })).not.toBeInTheDocument();
  });

  it('never sends the person to another site after signing in', async () => {
    const person = makeUser();
    serveAccounts({ user: undefined });
    serveTaskList([]);
    recordPosts('/auth/login', () => HttpResponse.json(sessionBody(person)));
    server.use(http.get(api('/auth/me'), () => HttpResponse.json(person)));
    const { user } = renderApp('/signin?next=//evil.example.com/x');
    await user.type(await screen.findByLabelText('Email'), person.email);
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('No tasks yet.');
    expect(`${window.location.pathname}${window.location.search}`).toBe('/');
  });
});

describe('Registration', () => {
  it('creates an account from an invitation link and signs in', async () => {
    serveAccounts();
    serveTaskList([]);
    const member = makeUser({ name: 'Bo' });
    const bodies = recordPosts('/auth/register', () => HttpResponse.json(sessionBody(member), { status: 201 }));
    const { user } = renderApp('/register?invitation=abc123');

    await screen.findByRole('heading', { name: 'Create your account' });
    expect(screen.getByText('You were invited to join your team on TaskFlow.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Your name'), 'Bo');
    await user.type(screen.getByLabelText('Email'), 'bo@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await screen.findByText('No tasks yet.');
    expect(window.location.pathname).toBe('/');
    expect(screen.getByRole('navigation', { name: 'Account' })).toHaveTextContent('Signed in as Bo');
    expect(bodies).toEqual([{ email: 'bo@example.com', name: 'Bo', password: 'long enough', invitation: 'abc123' }]);
  });

  it('explains a refused invitation (403) and a taken email (409)', async () => {
    serveAccounts();
    let answer = 403;
    recordPosts('/auth/register', () => HttpResponse.json({ statusCode: answer, message: 'refused' }, { status: answer }));
    const { user } = renderApp('/register?invitation=used');
    await user.type(await screen.findByLabelText('Your name'), 'Bo');
    await user.type(screen.getByLabelText('Email'), 'bo@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This invitation cannot be used');

    answer = 409;
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('An account with this email already exists. Sign in with it instead.'),
    );
  });

  it('puts the server’s 422 messages beside their fields', async () => {
    serveAccounts();
    recordPosts('/auth/register', () =>
      HttpResponse.json(
        { statusCode: 422, error: 'Unprocessable Entity', message: ['password must be shorter than or equal to 128 characters', 'something else'] },
        { status: 422 },
      ),
    );
    const { user } = renderApp('/register?invitation=abc');
    await user.type(await screen.findByLabelText('Your name'), 'Bo');
    await user.type(screen.getByLabelText('Email'), 'bo@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
        expect.stringContaining('password must be shorter than or equal to 128 characters'),
      ),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('something else');
  });

  it('without an invitation, explains that accounts are by invitation', async () => {
    serveAccounts();
    renderApp('/register');
    const card = (await screen.findByRole('heading', { name: 'Join TaskFlow' })).parentElement!;
    expect(card).toHaveTextContent('Accounts on this TaskFlow are by invitation.');
    expect(within(card).queryByRole('button', { name: 'Create account' })).not.toBeInTheDocument();
  });
});
