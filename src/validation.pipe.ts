import { ArgumentMetadata, HttpStatus, Injectable, UnprocessableEntityException, ValidationPipe } from '@nestjs/common';

/**
 * Nest's ValidationPipe with the contract's settings: 422 for broken rules, unknown fields stripped.
 * It also refuses a body that is not a JSON object (`[]`, `42`, `null`, none at all), which class
 * validation alone would let through as an empty or array value.
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
    return super.transform(value, metadata);
  }
}
