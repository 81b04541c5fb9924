import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';

/**
 * Keeps every error body in Nest's usual `{ statusCode, error, message }` shape. Nest already turns
 * body-parser's errors (a body that is not JSON, one over the size limit) into HttpExceptions, but
 * with a bare string, which would answer without `error`. Anything else is a real server fault, which
 * the base filter logs and answers with a generic 500.
 */
@Catch()
export class HttpExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(exception instanceof HttpException ? withErrorName(exception) : exception, host);
  }
}

function withErrorName(exception: HttpException): HttpException {
  if (typeof exception.getResponse() !== 'string') return exception;
  const statusCode = exception.getStatus();
  const body = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message };
  return new HttpException(body, statusCode, { cause: exception });
}
