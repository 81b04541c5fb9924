import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// Letters, digits and a few separators, as proxies and tracing systems generate them (UUIDs, Render's ids,
// `abc123.1`); anything else (spaces, quotes, control characters, a kilobyte) could forge or bloat log lines.
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:+=-]{0,127}$/;

/** The caller's X-Request-Id when it is a sane token, else undefined. */
export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : undefined;
}

/** The id of a request, once requestIdMiddleware has run (pino-http reads the same property). */
export function requestIdOf(request: IncomingMessage): string | undefined {
  const id = (request as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * First middleware of the app: keeps a sane incoming X-Request-Id or makes one, and returns it on every
 * response, errors included (it runs before the body parser, whose errors skip Nest's middleware).
 */
export function requestIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  assignRequestId(request, response);
  next();
}

/** Gives a request its id (the caller's when sane) and returns it in the response's X-Request-Id. */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): void {
  const id = acceptedRequestId(request.headers['x-request-id']) ?? randomUUID();
  (request as IncomingMessage & { id: string }).id = id;
  response.setHeader(REQUEST_ID_HEADER, id);
}

/**
 * The route as declared (`/tasks/:id`), never the path with its ids; undefined when no route matched (an unknown
 * path, or a body the parser refused before routing).
 */
export function routeTemplate(request: Request): string | undefined {
  const path: unknown = (request as Request & { route?: { path?: unknown } }).route?.path;
  // Nest answers unknown paths from a catch-all route (`{/*splat}`); no TaskFlow route has a wildcard.
  if (typeof path !== 'string' || path.includes('*')) return undefined;
  return `${request.baseUrl ?? ''}${path}`;
}
