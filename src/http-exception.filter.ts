import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, PayloadTooLargeException, BadRequestException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError extends Error {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).type === 'string' && 'status' in error;
}

/**
 * Gives errors that are not Nest exceptions the Nest error shape: a body that is not JSON is a 400,
 * a body over the limit a 413, a wrongly encoded body a 415; anything else is logged as a real fault.
 */
@Catch()
export class HttpExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof HttpException) return super.catch(exception, host);
    if (isBodyParserError(exception)) return super.catch(this.fromBodyParser(exception), host);
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return super.catch(exception, host);
  }

  private fromBodyParser(error: BodyParserError): HttpException {
    if (error.status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return new PayloadTooLargeException('Request body is larger than 102400 bytes');
    }
    if (error.type === 'entity.parse.failed') return new BadRequestException(`Request body is not valid JSON: ${error.message}`);
    return new HttpException(error.message, error.status >= 400 && error.status < 500 ? error.status : HttpStatus.BAD_REQUEST);
  }
}
