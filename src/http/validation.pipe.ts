import { ArgumentMetadata, HttpStatus, Injectable, UnprocessableEntityException, ValidationPipe } from '@nestjs/common';
import { unstorableTextMessages } from './storable-text';

const CHECKED_SOURCES: ReadonlySet<ArgumentMetadata['type']> = new Set(['body', 'query']);

/**
 * Nest's ValidationPipe with the contract's settings: 422 for broken rules, unknown fields stripped.
 * It also refuses a body that is not a JSON object (`[]`, `42`, `null`, none at all), which class
 * validation alone would let through as an empty or array value, and any string the databases cannot
 * store as sent (NUL, a lone surrogate), whichever route and field it comes through.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      transform: true,
      errorHttpStatusCode: HttpStatus.UNPROCESSABLE_ENTITY,
      // One message per field, from the first rule it breaks (its type before its range).
      stopAtFirstError: true,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new UnprocessableEntityException(['request body must be a JSON object']);
    }
    if (CHECKED_SOURCES.has(metadata.type)) {
      const messages = unstorableTextMessages(value, metadata.type === 'body' ? undefined : metadata.data);
      if (messages.length > 0) throw new UnprocessableEntityException(messages);
    }
    return super.transform(value, metadata);
  }
}
