import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface LoadShedderOptions {
  /** Requests handled at once; more would only wait for the database pool or the CPU anyway. */
  maxConcurrent: number;
  /** Requests allowed to wait for a free slot; beyond it a request is answered 503 at once. */
  maxQueued: number;
  /** A request that could not start within this time is answered 503 instead of waiting longer. */
  maxWaitMs: number;
  /** What `Retry-After` tells a shed client, in seconds. */
  retryAfterSeconds: number;
  /** Requests that bypass the queue (the health check, so a flood does not get a busy instance restarted). */
  isExempt?: (request: Request) => boolean;
}

/** The production setting; see README "Reliability". */
export const LOAD_SHEDDING: LoadShedderOptions = {
  maxConcurrent: 64,
  maxQueued: 2_000,
  maxWaitMs: 500,
  retryAfterSeconds: 1,
  // The health check, and event streams: a stream holds its request open for minutes while costing
  // nothing between events, so it must not take one of the slots from ordinary requests.
  isExempt: (request) => request.path === '/health' || request.path === '/tasks/events',
};

interface Waiting {
  response: Response;
  next: NextFunction;
  since: number;
}

/**
 * A bounded FIFO in front of the routes. Under a flood Node would otherwise accept everything and let
 * every request wait its turn for the database pool, so that all of them end up slow (seconds) and
 * clients time out; here a request that cannot start in time gets a quick 503 with Retry-After.
 */
export function createLoadShedder(
  options: LoadShedderOptions,
  hooks: { onShed?: (request: Request, response: Response) => void } = {},
): RequestHandler & { stats: () => LoadShedderStats } {
  let active = 0;
  let shed = 0;
  const queue: Waiting[] = [];
  let sweepTimer: NodeJS.Timeout | undefined;

  const refuse = (response: Response) => {
    shed++;
    if (response.headersSent || response.writableEnded) return;
    hooks.onShed?.(response.req, response);
    // Like every error body, it carries the request id when the hook gave the request one.
    const requestId = (response.req as (Request & { id?: unknown }) | undefined)?.id;
    response
      .status(503)
      .set('Retry-After', String(options.retryAfterSeconds))
      .json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The server is overloaded; retry later',
        ...(typeof requestId === 'string' ? { request_id: requestId } : {}),
      });
  };

  const start = (response: Response, next: NextFunction) => {
    active++;
    response.once('close', () => {
      active--;
      startNext();
    });
    next();
  };

  const startNext = () => {
    while (active < options.maxConcurrent && queue.length > 0) {
      const waiting = queue.shift()!;
      if (waiting.response.destroyed) continue; // the client gave up while waiting
      if (performance.now() - waiting.since > options.maxWaitMs) refuse(waiting.response);
      else start(waiting.response, waiting.next);
    }
    scheduleSweep();
  };

  // Without it a request could wait past maxWaitMs while every slot is held by slow requests.
  const scheduleSweep = () => {
    if (queue.length === 0 || sweepTimer !== undefined) return;
    sweepTimer = setTimeout(() => {
      sweepTimer = undefined;
      const now = performance.now();
      while (queue.length > 0 && now - queue[0]!.since > options.maxWaitMs) refuse(queue.shift()!.response);
      scheduleSweep();
    }, options.maxWaitMs / 4);
    sweepTimer.unref();
  };

  const middleware = (request: Request, response: Response, next: NextFunction) => {
    if (options.isExempt?.(request)) return next();
    if (active < options.maxConcurrent) return start(response, next);
    if (queue.length >= options.maxQueued) return refuse(response);
    queue.push({ response, next, since: performance.now() });
    scheduleSweep();
  };
  return Object.assign(middleware, { stats: () => ({ active, queued: queue.length, shed }) });
}

export interface LoadShedderStats {
  active: number;
  queued: number;
  shed: number;
}
