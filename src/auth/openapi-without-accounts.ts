import { OpenAPIObject } from '@nestjs/swagger';
import { ACCOUNTS_ONLY_EXTENSION } from './access.decorators';

type PathItemObject = OpenAPIObject['paths'][string];
type OperationObject = NonNullable<PathItemObject['get']>;

const ACCOUNT_ONLY_STATUSES = ['401', '403', '429'];

/**
 * The document as AUTH_MODE=off serves it: the v1 API, without the account routes (@AccountRoute(),
 * which answer 404 there), the bearer scheme, or the answers only a credential check can give.
 */
export function withoutAccounts(document: OpenAPIObject): OpenAPIObject {
  const paths: Record<string, PathItemObject> = {};
  for (const [path, pathItem] of Object.entries(document.paths)) {
    const kept = Object.entries(pathItem).filter(([, operation]) => !isOperation(operation) || operation[ACCOUNTS_ONLY_EXTENSION] !== true);
    if (kept.some(([, operation]) => isOperation(operation))) paths[path] = Object.fromEntries(kept) as PathItemObject;
  }
  for (const pathItem of Object.values(paths)) {
    for (const operation of Object.values(pathItem)) {
      if (!isOperation(operation)) continue;
      delete operation.security;
      for (const status of ACCOUNT_ONLY_STATUSES) delete operation.responses[status];
    }
  }
  const { securitySchemes: _securitySchemes, ...components } = document.components ?? {};
  return { ...document, paths, components };
}

function isOperation(value: unknown): value is OperationObject & Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'responses' in value;
}
