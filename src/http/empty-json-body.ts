import type { NextFunction, Request, Response } from 'express';

/**
 * body-parser reads an empty body sent as JSON (`Content-Type: application/json`, `Content-Length: 0`)
 * as `{}`, which a PATCH would take as "change nothing" and answer 200. The contract refuses an empty
 * body, so it is kept as no body at all, mounted after the parser: routes that read a body refuse it
 * with 422 (AppValidationPipe), routes that read none (POST /auth/refresh) are unaffected.
 */
export function keepEmptyJsonBodyEmpty(request: Request, _response: Response, next: NextFunction): void {
  if (request.headers['content-length'] === '0' && request.is(['application/json', 'application/*+json'])) request.body = undefined;
  next();
}
