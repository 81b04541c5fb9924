import { HttpException } from '@nestjs/common';

/**
 * The same exception with `request_id` added to its body, so a person reporting an error can quote the id
 * that is in the logs and in the error report. Bodies that are not objects are left as they are.
 */
export function withRequestId(exception: HttpException, requestId: string | undefined): HttpException {
  const body = exception.getResponse();
  if (requestId === undefined || typeof body !== 'object' || body === null) return exception;
  return new HttpException({ ...body, request_id: requestId }, exception.getStatus(), { cause: exception });
}
