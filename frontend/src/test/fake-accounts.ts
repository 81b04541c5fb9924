import { setSessionHint } from '../features/auth/session-hint';
import { http, HttpResponse } from 'msw';
import type { AuthStatus, Session, User } from '../features/auth/auth.types';
import { api, server } from './fake-api';

let counter = 0;

export function makeUser(overrides: Partial<User> = {}): User {
  counter += 1;
  return {
    id: `10000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    email: `person${counter}@example.com`,
    name: `Person ${counter}`,
    role: 'member',
    disabled: false,
    created_at: new Date(Date.UTC(2026, 9, 1, 9, 0, counter)).toISOString(),
    locale: 'en',
    email_notifications: 'instant',
    ...overrides,
  };
}

export const unauthorized = (message = 'Unauthorized') =>
  HttpResponse.json({ statusCode: 401, error: 'Unauthorized', message }, {
    status: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="taskflow", error="invalid_token"' },
  });

interface AccountsOptions {
  /** The person whose session cookie the browser holds; none: nobody is signed in. */
  user?: User;
  status?: Partial<AuthStatus>;
}

/**
 * A server with accounts on (`AUTH_MODE=required`): GET /auth/status, POST /auth/refresh (a new token each time while
 * a session exists) and GET /auth/me. Returns what it saw so that tests can assert on it.
 */
export function serveAccounts({ user, status = {} }: AccountsOptions = {}) {
  const seen = { refreshes: 0, tokens: [] as string[], session: user ? 'active' : 'none' };
  // A browser that signed in before remembers it had a session; only then does a load try to restore it.
  setSessionHint(user !== undefined);
  const fullStatus: AuthStatus = { auth_mode: 'required', setup_required: false, registration: 'invite', email: false, ...status };
  server.use(
    http.get(api('/auth/status'), () => HttpResponse.json(fullStatus)),
    http.post(api('/auth/refresh'), () => {
      seen.refreshes += 1;
      if (!user || seen.session !== 'active') return unauthorized('Session expired or revoked');
      const token = `token-${seen.refreshes}`;
      seen.tokens.push(token);
      return HttpResponse.json({ access_token: token, token_type: 'bearer', expires_in: 900 });
    }),
    http.get(api('/auth/me'), ({ request }) =>
      user && request.headers.get('Authorization')?.startsWith('Bearer ') ? HttpResponse.json(user) : unauthorized(),
    ),
    http.post(api('/auth/logout'), () => {
      seen.session = 'ended';
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return {
    seen,
    /** The server ends the session (signed out elsewhere, or the user was disabled). */
    endSession: () => {
      seen.session = 'ended';
    },
    /** The token the app holds now: the last one refresh handed out. */
    currentToken: () => seen.tokens.at(-1) ?? null,
  };
}

export function sessionBody(user: User, token = 'token-signed-in'): Session {
  return { access_token: token, token_type: 'bearer', expires_in: 900, user };
}
