import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpServer,
  HttpStatus,
  InternalServerErrorException,
  IntrinsicException,
  Logger,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseOutageLog, isDatabaseUnavailable } from '../database/database-unavailable';
import { withRequestId } from '../observability/error-body';
import { captureServerFault } from '../observability/error-tracking';
import { requestIdOf } from '../observability/request-context';

/**
 * Keeps every error body in Nest's usual `{ statusCode, error, message }` shape. Nest already turns
 * body-parser's errors (a body that is not JSON, one over the size limit) into HttpExceptions, but
 * with a bare string, which would answer without `error`. Anything else is a real server fault, which
 * the base filter logs and answers with a generic 500, except an unreachable database: that is a 503
 * with Retry-After, logged once per outage by `outageLog`. Every 503 carries Retry-After, and every
 * error body the request id.
 */
// The logger Nest's base filter writes unexpected errors with.
const exceptionsLogger = new Logger('ExceptionsHandler');

@Catch()
export class HttpExceptionFilter extends BaseExceptionFilter {
  constructor(applicationRef: HttpServer, private readonly outageLog?: DatabaseOutageLog) {
    super(applicationRef);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    // An outage is reported (log, error tracking) once, not once per refused request.
    let reportable = true;
    if (!(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
      reportable = this.outageLog?.record(exception) ?? true;
      exception = new ServiceUnavailableException('The database is unavailable; retry later', { cause: exception });
    }
    const retryAfterSeconds = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (exception instanceof HttpException && typeof retryAfterSeconds === 'number') {
      // An exception that knows how long to wait (the sign-in limits' 429) says so in Retry-After.
      host.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
    }
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
      const response = host.switchToHttp().getResponse<Response>();
      if (!response.headersSent && !response.getHeader('Retry-After')) {
        response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      }
    }
    const request = host.switchToHttp().getRequest<Request>();
    // Server faults (5xx, unexpected errors) go to error tracking, when it is on; 4xx never do.
    if (reportable) captureServerFault(exception, request);
    if (!(exception instanceof HttpException) && !this.isHttpError(exception)) {
      // Logged as the base filter would, then answered with its generic 500, plus the request id.
      if (!(exception instanceof IntrinsicException)) exceptionsLogger.error(exception);
      exception = new InternalServerErrorException(
        { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
        { cause: exception },
      );
    }
    super.catch(exception instanceof HttpException ? withRequestId(withErrorName(exception), requestIdOf(request)) : exception, host);
  }
}

function withErrorName(exception: HttpException): HttpException {
  if (typeof exception.getResponse() !== 'string') return exception;
  const statusCode = exception.getStatus();
  const body = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message };
  return new HttpException(body, statusCode, { cause: exception });
}
