import type { components } from '../../lib/api-schema';
import type { UserRole } from '../auth/auth.types';
import i18n from '../../i18n/i18n';

type Schemas = components['schemas'];

export type UpdateUserBody = Schemas['UpdateUserDto'];
export type Invitation = Schemas['InvitationResponse'];
export type CreatedInvitation = Schemas['CreatedInvitationResponse'];
export type CreateInvitationBody = Schemas['CreateInvitationDto'];
export type IssuedPasswordReset = Schemas['IssuedPasswordResetResponse'];

const roleLabels: Record<UserRole, () => string> = { admin: () => i18n.t('Admin'), member: () => i18n.t('Member') };
export const roleLabel = (role: UserRole): string => roleLabels[role]();
