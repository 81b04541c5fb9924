import type { Request } from 'express';
import type { UserRole } from '../users/user-role';

/** The signed-in user as the guard saw it (at most a few seconds old: see CredentialCache). */
export interface CurrentUserSnapshot {
  id: string;
  email: string;
  name: string;
  role: UserRole;
}

/** Who is calling and with what credential; set on the request by AuthGuard in AUTH_MODE=required. */
export interface Principal {
  user: CurrentUserSnapshot;
  credential:
    | { kind: 'session'; sessionId: string }
    | { kind: 'api_token'; tokenId: string; scope: 'read' | 'write' };
}

export type AuthenticatedRequest = Request & {
  principal?: Principal;
  /** When the request's credential stops being valid (epoch ms). */
  credentialValidUntil?: number;
};

/** One stable id per credential (a session or an API token), e.g. to scope idempotency keys. */
export function credentialKey(principal: Principal): string {
  const { credential } = principal;
  return credential.kind === 'session' ? `session:${credential.sessionId}` : `token:${credential.tokenId}`;
}
