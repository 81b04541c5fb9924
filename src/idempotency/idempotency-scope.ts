import { AuthenticatedRequest, credentialKey } from '../auth/principal';

/** Without accounts (AUTH_MODE=off) every client shares one set of keys. */
export const SHARED_SCOPE = 'shared';

/** Whose keys a request's key belongs to: its credential (a session or an API token) when accounts are on. */
export function idempotencyScope(request: AuthenticatedRequest): string {
  return request.principal ? credentialKey(request.principal) : SHARED_SCOPE;
}
