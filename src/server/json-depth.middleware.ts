import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Deepest nesting a request body may have. A task is a flat object, so this only ever refuses junk;
 * it is there because class-transformer and class-validator walk bodies recursively, and a body nested
 * a few thousand levels deep (which fits in 100 kB) overflowed their stack into a 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Depth of a parsed JSON value (a scalar is 0, `{}` is 1), counted without recursion. */
export function jsonDepth(value: unknown, stopAbove = Infinity): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest > stopAbove) return deepest;
    for (const child of Object.values(current)) pending.push([child, inner]);
  }
  return deepest;
}

/** Refuses an over-deep body with 400 after JSON parsing and before anything else looks at it. */
export function rejectDeepJson(request: Request, _response: Response, next: NextFunction): void {
  if (jsonDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    next(new BadRequestException(`request body is nested deeper than ${MAX_JSON_DEPTH} levels`));
    return;
  }
  next();
}
