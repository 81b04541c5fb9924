import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino, stdSerializers, type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import { requestIdOf } from '../observability/request-context';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.current_password',
  '*.setup_token',
  '*.access_token',
  '*.token',
  '*.code',
  '*.invitation',
];

/** The URL as logged: an event-stream ticket in the query is a credential, even if short-lived. */
export function loggedUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]ticket=)[^&]*/g, '$1[redacted]');
}

/** The id of the request being served, wherever its work goes (awaits, callbacks, Nest's logger). */
const requestBeingServed = new AsyncLocalStorage<string>();

/**
 * The application's one pino logger. Every line written while a request is served carries its id as
 * `request_id`: a mixin reads it when a line is actually written, so a request at LOG_LEVEL=warn pays
 * nothing for it (pino-http built two child loggers per request, serializers and redaction included,
 * whether anything was logged or not: a fifth of a small request's CPU, bench/analysis.md).
 */
export function createAppLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  const mixin = () => {
    const id = requestBeingServed.getStore();
    return id === undefined ? {} : { request_id: id };
  };
  // Defence in depth: the completion line below logs no headers or bodies, but nothing secret may ever
  // reach a log line, whatever a future log call adds.
  const options = { level, mixin, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino's settings: its Logger (Nest's own lines, the 500s' stack traces) writes through `logger`.
 * `useExisting` with no routes: it mounts no middleware of its own, `logRequests` below does that work.
 */
export function loggerModuleParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true, forRoutes: [] };
}

/** The logger of the app's nestjs-pino settings (for configureApp, which mounts `logRequests`). */
export function loggerOf(params: Params): Logger {
  const logger = (params.pinoHttp as { logger?: Logger } | undefined)?.logger;
  if (!logger) throw new Error('The logger settings carry no pino logger');
  return logger;
}

/** A 503 (database outage, load shedding) is an expected refusal, logged once per outage by DatabaseOutageLog. */
function levelOf(statusCode: number): Level {
  if (statusCode === 503) return 'warn';
  return statusCode >= 500 ? 'error' : 'info';
}


/**
 * One JSON line per request once its response is done or cut off (method, path, status, duration in ms),
 * and the request's id on every line written while it is served. Mounted after requestIdMiddleware.
 */
export function logRequests(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const startedAt = Date.now();
    const id = requestIdOf(request as IncomingMessage);
    // A response emits `close` once: after `finish`, or when its connection ends before that.
    response.once('close', () => {
      const statusCode = response.statusCode;
      const level = levelOf(statusCode);
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Date.now() - startedAt;
      const url = loggedUrl(request.originalUrl);
      // No headers, no body. `ip` is the client address as TRUST_PROXY makes Express read it (docs/DEPLOY.md checks it).
      const line = { request_id: id, req: { id, method: request.method, url, ip: request.ip }, res: { statusCode }, responseTime };
      if (statusCode >= 500) {
        const err = stdSerializers.err(new Error(`failed with status code ${statusCode}`));
        logger[level]({ ...line, err }, `${request.method} ${url} ${statusCode}`);
      } else {
        logger[level](line, `${request.method} ${url} ${statusCode} ${responseTime}ms`);
      }
    });
    if (id === undefined) next();
    else requestBeingServed.run(id, next);
  };
}
