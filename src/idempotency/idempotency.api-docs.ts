import { applyDecorators } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { ErrorResponse } from '../http/error-response';
import { KEY_LIFETIME_MS } from './idempotency.service';

const HOURS = KEY_LIFETIME_MS / 3_600_000;

/** Swagger for a route that honours `Idempotency-Key` (CONTRACT.md, "Idempotent creation"). */
export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        `Makes the request safe to retry: 1 to 255 visible ASCII characters, unique per intended creation (a UUID). ` +
        `A retry with the same key and body within ${HOURS} hours gets the first answer again (same status, body, ` +
        'Location and ETag; created once) with `Idempotent-Replayed: true`. The same key with another body is a 422; ' +
        'a malformed key is a 400 and creates nothing. Keys are per credential when accounts are on.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    }),
    ApiConflictResponse({
      description: 'A request with the same Idempotency-Key is still being processed; retry after `Retry-After` seconds.',
      type: ErrorResponse,
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
    }),
  );
}
