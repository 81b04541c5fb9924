import createClient from 'openapi-fetch';
import { apiBaseUrl } from '../config';
import type { paths } from './api-schema';

/** Any non-2xx answer, or no answer at all (`status` 0: the server could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown, message?: string) {
    super(message ?? describeError(status, body));
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }

  /** Nest puts one string in `message`, or an array of strings for 422. */
  get messages(): string[] {
    const message = (this.body as { message?: unknown } | null)?.message;
    if (Array.isArray(message)) return message.filter((item): item is string => typeof item === 'string');
    return typeof message === 'string' ? [message] : [];
  }
}

function describeError(status: number, body: unknown): string {
  if (status === 0) return 'The TaskFlow server cannot be reached. Check that it is running, then try again.';
  const message = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return `The server answered ${status}.`;
}

export const apiClient = createClient<paths>({
  baseUrl: apiBaseUrl,
  // Looked up on every call rather than captured once, so that test doubles installed later are used.
  fetch: (input) => globalThis.fetch(input),
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
  if (!response.ok) throw new ApiError(response.status, error ?? null);
  return { data: (response.status === 204 ? undefined : data) as T, response };
}
