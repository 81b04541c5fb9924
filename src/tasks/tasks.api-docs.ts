import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiPreconditionFailedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse, ValidationErrorResponse } from '../http/error-response';

// Swagger decorators shared by several operations of TasksController; the prose lives here, once.

export const TOTAL_COUNT_HEADER = {
  'X-Total-Count': { description: 'Tasks matching the filters, ignoring skip and limit.', schema: { type: 'integer' } },
};
export const PAGE_HEADERS = {
  ...TOTAL_COUNT_HEADER,
  'X-Next-Cursor': {
    description: 'Present when more tasks follow: pass it as `cursor` (same filters, sort and order) for the next page.',
    schema: { type: 'string' },
  },
};
export const ETAG_HEADER = { ETag: { description: "The task's current version, for If-Match.", schema: { type: 'string' } } };

export function ApiInvalidInput(): MethodDecorator {
  return ApiUnprocessableEntityResponse({ description: 'A value breaks the rules; nothing changed.', type: ValidationErrorResponse });
}

export function ApiTaskId(): MethodDecorator {
  return applyDecorators(
    ApiParam({
      name: 'id',
      description: "The id the API returned for the task, or its key (`TF-12`, any case; an old key of a moved task also finds it).",
      schema: { type: 'string' },
    }),
    ApiNotFoundResponse({ description: 'No task has this id or key.', type: ErrorResponse }),
  );
}

export function ApiJsonBody(): MethodDecorator {
  return applyDecorators(
    ApiBadRequestResponse({ description: 'The body is not a JSON object.', type: ErrorResponse }),
    ApiPayloadTooLargeResponse({ description: 'The body is over 100 kB (102,400 bytes).', type: ErrorResponse }),
    ApiInvalidInput(),
  );
}

export function ApiIfMatch(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag(s) of the version this change is based on, or `*`; without it the last write wins.',
    }),
    ApiPreconditionFailedResponse({ description: 'If-Match names no current version; nothing changed.', type: ErrorResponse }),
  );
}

/** A write to a task of an archived project (or a move into one), or a write that lost ten races in a row. */
export function ApiTaskWriteConflict(): MethodDecorator {
  return ApiConflictResponse({
    description: "The task's project is archived, or the write moves the task into an archived project (nothing changed); rarely, the write lost to ten concurrent writes in a row: retry.",
    type: ErrorResponse,
  });
}
