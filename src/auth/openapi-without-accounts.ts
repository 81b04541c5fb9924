import { OpenAPIObject } from '@nestjs/swagger';

const ACCOUNT_ONLY_STATUSES = ['401', '403', '429'];
/** Routes of members only: accounts, comments, watchers, notifications. */
const ACCOUNT_PATH = /^\/(auth|users|notifications)(\/|$)|^\/tasks\/\{id\}\/(comments|watch|watchers)(\/|$)/;

/**
 * The document as AUTH_MODE=off serves it: the v1 API, without the account routes (which answer 404
 * there), the bearer scheme, or the answers only a credential check can give.
 */
export function withoutAccounts(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.fromEntries(
    Object.entries(document.paths).filter(([path]) => path === '/auth/status' || !ACCOUNT_PATH.test(path)),
  );
  for (const pathItem of Object.values(paths)) {
    for (const operation of Object.values(pathItem)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      delete operation.security;
      for (const status of ACCOUNT_ONLY_STATUSES) delete operation.responses[status];
    }
  }
  const { securitySchemes: _securitySchemes, ...components } = document.components ?? {};
  return { ...document, paths, components };
}
