import { ApiError, apiClient, request } from '../../lib/api-client';
import type {
  AccessToken,
  ApiToken,
  AuthStatus,
  CreateApiTokenBody,
  NewApiToken,
  PasswordResetBody,
  RegisterBody,
  Session,
  SessionInfo,
  SetupBody,
  SignInBody,
  UpdateMeBody,
  User,
} from './auth.types';

/** What the server asks of the person; a backend from before accounts (404) works like `AUTH_MODE=off`. */
export async function getAuthStatus(signal?: AbortSignal): Promise<AuthStatus> {
  try {
    const { data } = await request(apiClient.GET('/auth/status', { signal }));
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return { auth_mode: 'off', setup_required: false, registration: 'invite', email: false };
    }
    throw error;
  }
}

/**
 * Trades the session cookie for a new access token (and a new cookie); null when there is no session to restore.
 * Call it only through the session's single-flight renew(): a cookie sent twice ends the whole session.
 */
export async function refreshAccessToken(): Promise<AccessToken | null> {
  try {
    const { data } = await request(apiClient.POST('/auth/refresh', { credentials: 'same-origin' }));
    return data;
  } catch (error) {
    // 404: accounts are off on this server.
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return null;
    throw error;
  }
}

export async function setUp(body: SetupBody): Promise<Session> {
  return (await request(apiClient.POST('/auth/setup', { body }))).data;
}

export async function register(body: RegisterBody): Promise<Session> {
  return (await request(apiClient.POST('/auth/register', { body }))).data;
}

export async function signIn(body: SignInBody): Promise<Session> {
  return (await request(apiClient.POST('/auth/login', { body }))).data;
}

/** Ends the session named by the cookie (or by the access token) and clears the cookie. */
export async function signOut(accessToken: string | null): Promise<void> {
  await request(
    apiClient.POST('/auth/logout', {
      credentials: 'same-origin',
      headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : undefined,
    }),
  );
}

export async function getMe(signal?: AbortSignal): Promise<User> {
  return (await request(apiClient.GET('/auth/me', { signal }))).data;
}

export async function updateMe(body: UpdateMeBody): Promise<User> {
  return (await request(apiClient.PATCH('/auth/me', { body }))).data;
}

export async function listSessions(signal?: AbortSignal): Promise<SessionInfo[]> {
  return (await request(apiClient.GET('/auth/sessions', { signal }))).data;
}

export async function endSession(id: string): Promise<void> {
  await request(apiClient.DELETE('/auth/sessions/{id}', { params: { path: { id } } }));
}

export async function listApiTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  return (await request(apiClient.GET('/auth/tokens', { signal }))).data;
}

export async function createApiToken(body: CreateApiTokenBody): Promise<NewApiToken> {
  return (await request(apiClient.POST('/auth/tokens', { body }))).data;
}

export async function revokeApiToken(id: string): Promise<void> {
  await request(apiClient.DELETE('/auth/tokens/{id}', { params: { path: { id } } }));
}

/** Asks for a reset link by email; the answer (202) is the same whether or not the email has an account. */
export async function requestPasswordReset(email: string): Promise<void> {
  await request(apiClient.POST('/auth/password-reset', { body: { email } }));
}

/** Sets a new password with a reset token; the server ends every session of the user and opens none. */
export async function confirmPasswordReset(body: PasswordResetBody): Promise<void> {
  await request(apiClient.POST('/auth/password-reset/confirm', { body }));
}
