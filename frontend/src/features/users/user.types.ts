import type { components } from '../../lib/api-schema';
import type { UserRole } from '../auth/auth.types';

type Schemas = components['schemas'];

export type UpdateUserBody = Schemas['UpdateUserDto'];
export type Invitation = Schemas['InvitationResponse'];
export type CreatedInvitation = Schemas['CreatedInvitationResponse'];
export type CreateInvitationBody = Schemas['CreateInvitationDto'];

export const roleLabels: Record<UserRole, string> = { admin: 'Admin', member: 'Member' };
