import type { components } from '../../lib/api-schema';
import i18n from '../../i18n/i18n';

type Schemas = components['schemas'];

export type UserRole = Schemas['UserRole'];
export type TokenScope = Schemas['ApiTokenScope'];
export type User = Schemas['UserResponse'];
export type AuthStatus = Schemas['AuthStatusResponse'];
export type AccessToken = Schemas['SessionTokenResponse'];
export type Session = Schemas['SignedInResponse'];
export type SetupBody = Schemas['SetupDto'];
export type RegisterBody = Schemas['RegisterDto'];
export type SignInBody = Schemas['LoginDto'];
export type UpdateMeBody = Schemas['UpdateMeDto'];
export type SessionInfo = Schemas['SessionInfoResponse'];
export type ApiToken = Schemas['ApiTokenResponse'];
export type CreateApiTokenBody = Schemas['CreateApiTokenDto'];
export type NewApiToken = Schemas['CreatedApiTokenResponse'];
export type PasswordResetBody = Schemas['PasswordResetConfirmDto'];
export type EmailNotifications = Schemas['EmailNotifications'];

// A record keyed by the generated union: a scope the API adds fails to compile until it is labelled.
const scopeLabels: Record<TokenScope, () => string> = {
  read: () => i18n.t('Read only'),
  write: () => i18n.t('Read and write'),
};
export const scopeLabel = (scope: TokenScope): string => scopeLabels[scope]();
