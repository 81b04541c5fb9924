import createClient from 'openapi-fetch';
import { apiBaseUrl } from '../config';
import type { paths } from './api-schema';
import i18n from '../i18n/i18n';

/** Any non-2xx answer, or no answer at all (`status` 0: the server could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  /** Seconds from a 429's Retry-After header, when it has one. */
  readonly retryAfter: number | null;

  constructor(status: number, body: unknown, options: { message?: string; retryAfter?: number | null } = {}) {
    const retryAfter = options.retryAfter ?? null;
    super(options.message ?? describeError(status, body, retryAfter));
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  /** Nest puts one string in `message`, or an array of strings for 422. */
  get messages(): string[] {
    const message = (this.body as { message?: unknown } | null)?.message;
    if (Array.isArray(message)) return message.filter((item): item is string => typeof item === 'string');
    return typeof message === 'string' ? [message] : [];
  }
}

/** "2 minutes", "45 seconds": how long a 429 asks the person to wait. */
export function formatWait(seconds: number): string {
  if (seconds >= 90) return i18n.t('{{count}} minutes', { count: Math.ceil(seconds / 60) });
  return i18n.t('{{count}} seconds', { count: seconds });
}

function describeError(status: number, body: unknown, retryAfter: number | null): string {
  if (status === 0) return i18n.t('The TaskFlow server cannot be reached. Check that it is running, then try again.');
  const message = (body as { message?: unknown } | null)?.message;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
  switch (status) {
    case 401:
      return text || i18n.t('You are not signed in, or your session has ended. Sign in again.');
    case 403:
      return text || i18n.t('You are not allowed to do this.');
    case 429: {
      return retryAfter === null
        ? i18n.t('Too many attempts. Try again later.')
        : i18n.t('Too many attempts. Try again in {{wait}}.', { wait: formatWait(retryAfter) });
    }
    default:
      return text || i18n.t('The server answered {{status}}.', { status });
  }
}

function parseRetryAfter(response: Response): number | null {
  const header = response.headers.get('Retry-After');
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** How the client authenticates; installed by the auth feature (absent: every request goes out as it is). */
export interface Credentials {
  /** The access token to send now, or null. */
  accessToken(): string | null;
  /**
   * A new access token from the session cookie, or null when the session is over. Concurrent callers must share
   * one refresh: a cookie presented twice ends the whole session on the server.
   */
  renew(): Promise<string | null>;
  /** A request stayed 401 after a renewal: the person has to sign in again. */
  sessionLost(): void;
}

let credentials: Credentials | null = null;

export function setCredentials(next: Credentials | null): void {
  credentials = next;
}

// Routes that answer without a credential, where a 401 is the answer (a wrong password), not an expired token.
const publicAuthPaths = /\/auth\/(status|setup|register|login|refresh|logout)$/;

function withToken(request: Request, token: string | null): Request {
  if (token) request.headers.set('Authorization', `Bearer ${token}`);
  else request.headers.delete('Authorization');
  return request;
}

/**
 * Sends a request with the access token; on a 401 renews the token once (a refresh shared with every request that
 * meets a 401 at the same time) and sends the request once more.
 */
async function send(request: Request): Promise<Response> {
  const auth = credentials;
  if (!auth || publicAuthPaths.test(new URL(request.url).pathname)) return globalThis.fetch(request);
  const spare = request.clone();
  const sent = auth.accessToken();
  const response = await globalThis.fetch(withToken(request, sent));
  if (response.status !== 401) return response;
  // Another request may have renewed the token while this one was on its way: use that one rather than refresh again.
  const current = auth.accessToken();
  const token = current !== null && current !== sent ? current : await auth.renew();
  if (token === null) {
    auth.sessionLost();
    return response;
  }
  const retried = await globalThis.fetch(withToken(spare, token));
  if (retried.status === 401) auth.sessionLost();
  return retried;
}

export const apiClient = createClient<paths>({
  baseUrl: apiBaseUrl,
  // Looked up on every call rather than captured once, so that test doubles installed later are used.
  fetch: (input) => send(input),
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface ApiResponse<T> {
  data: T;
  response: Response;
}

/** A failed fetch (the server could not be reached), as opposed to an HTTP error or an abort. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof ApiError && error.status === 0;
}

/**
 * Awaits one openapi-fetch call and settles it the same way for every screen: the typed body on 2xx
 * (`undefined` for 204), an ApiError otherwise, including when the network fails.
 */
export async function request<T>(call: Promise<FetchResult<T>>): Promise<ApiResponse<T>> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, null);
  }
  const { data, error, response } = result;
  if (!response.ok) throw new ApiError(response.status, error ?? null, { retryAfter: parseRetryAfter(response) });
  return { data: (response.status === 204 ? undefined : data) as T, response };
}
