import type { OpenAPIObject } from '@nestjs/swagger';

type Responses = Record<string, unknown>;

const ERROR_BODY = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer' } } };

/**
 * Answers every route can give, whatever its decorators say. The body parser reads the body of any
 * request that sends one (a GET too) before routing, so its refusals are on every operation.
 */
const SHARED: Responses = {
  '400': { description: 'The body is not well-formed JSON, or is nested over 32 levels; nothing changed.', content: ERROR_BODY },
  '413': { description: 'The body is over 100 kB (102,400 bytes); nothing changed.', content: ERROR_BODY },
  '415': { description: 'The body has an unsupported charset or Content-Encoding; nothing changed.', content: ERROR_BODY },
  '500': { description: 'A server fault (logged with the request id); nothing is promised about the change.', content: ERROR_BODY },
  '503': {
    description: 'The database is unreachable, or the server is overloaded (its load shedder refused the request); nothing changed.',
    headers: RETRY_AFTER,
    content: ERROR_BODY,
  },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Declares on each operation the answers that come from what every route shares (src/http, src/server)
 * rather than from the route's own decorators, so that the document lists every status the server gives.
 * An answer an operation already declares (the health check's own 503 body) is left as it is.
 */
export function withSharedResponses(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (pathItem as Record<string, { responses?: Responses } | undefined>)[method];
      if (!operation?.responses) continue;
      for (const [status, response] of Object.entries(SHARED)) operation.responses[status] ??= structuredClone(response);
    }
  }
  return document;
}
