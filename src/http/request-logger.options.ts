import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { acceptedRequestId } from '../observability/request-context';

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

/** One JSON line per request (method, path, status, duration in ms); no headers or bodies are logged. */
export function requestLoggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      quietReqLogger: true,
      // Defence in depth: the serializers below log no headers or bodies, but nothing secret may ever
      // reach a log line, whatever a future serializer or log call adds.
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // requestIdMiddleware has already chosen the id (and returned it); every line of the request carries it.
      genReqId: (req) => req.id ?? acceptedRequestId(req.headers['x-request-id']) ?? randomUUID(),
      customAttributeKeys: { reqId: 'request_id' },
      serializers: {
        // `ip` is the client address as TRUST_PROXY makes Express read it (docs/DEPLOY.md checks it with this line).
        req: (req: IncomingMessage & { id?: unknown; raw?: { ip?: unknown } }) => ({
          id: req.id,
          method: req.method,
          url: loggedUrl(req.url),
          ip: req.raw?.ip,
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      // A 503 (database outage, load shedding) is an expected refusal, logged once per outage at error
      // level by DatabaseOutageLog: at error here it would flood the errors with one line per request.
      customLogLevel: (_req, res, error) => (res.statusCode === 503 ? 'warn' : error || res.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: (req, res, responseTime) => `${req.method} ${loggedUrl(req.url)} ${res.statusCode} ${Math.round(responseTime)}ms`,
      customErrorMessage: (req, res) => `${req.method} ${loggedUrl(req.url)} ${res.statusCode}`,
    },
  };
}
