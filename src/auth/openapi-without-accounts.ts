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
      // No credential is asked for anywhere: every operation is open, and says so.
      operation.security = [];
      for (const status of ACCOUNT_ONLY_STATUSES) delete operation.responses[status];
    }
  }
  const { securitySchemes: _securitySchemes, ...components } = document.components ?? {};
  return { ...document, paths, components: { ...components, schemas: schemasReachedFrom(paths, components.schemas ?? {}) } };
}

function isOperation(value: unknown): value is OperationObject & Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'responses' in value;
}

/** The component schemas the paths still use, directly or through other schemas: the account DTOs go. */
function schemasReachedFrom<T>(paths: Record<string, PathItemObject>, schemas: Record<string, T>): Record<string, T> {
  const reached = new Set<string>();
  const pending: unknown[] = [paths];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    const ref = (node as { $ref?: unknown }).$ref;
    const name = typeof ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1] : undefined;
    if (name !== undefined && !reached.has(name)) {
      reached.add(name);
      pending.push(schemas[name]);
    }
    pending.push(...Object.values(node));
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => reached.has(name)));
}
