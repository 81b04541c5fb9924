import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type HeaderChange = { set: string; value: string | number | readonly string[] } | { remove: string };

/**
 * helmet's headers, worked out once: with options that depend on no request (no CSP nonce function), its twelve
 * middlewares set the same headers on every response, so they run once here against a recording response and
 * each request replays what they did in one step. helmet stays the one place that decides the headers.
 */
export function securityHeaders(options: HelmetOptions) {
  const changes: HeaderChange[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => changes.push({ set: name, value }),
    removeHeader: (name: string) => changes.push({ remove: name }),
  };
  let failure: unknown;
  let finished = false;
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    failure = error;
    finished = true;
  });
  // A helmet that waited on a request or failed on these options would make the replay wrong: refuse to start.
  if (!finished || failure) throw new Error(`helmet's headers cannot be worked out once: ${String(failure ?? 'it did not finish')}`);
  return (_request: Request, response: Response, next: NextFunction): void => {
    for (const change of changes) {
      if ('set' in change) response.setHeader(change.set, change.value);
      else response.removeHeader(change.remove);
    }
    next();
  };
}
