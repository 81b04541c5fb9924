import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * An operation with no security requirement is marked `security: []`: open to anyone, said explicitly
 * (OpenAPI linters, like readers, cannot tell an open route from a forgotten requirement otherwise).
 */
export function withOpenOperationsMarked(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem)) {
      if (typeof operation === 'object' && operation !== null && 'responses' in operation) operation.security ??= [];
    }
  }
  return document;
}
