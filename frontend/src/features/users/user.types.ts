import type { UserRole } from '../auth/auth.types';

export interface UpdateUserBody {
  name?: string;
  role?: UserRole;
  disabled?: boolean;
}

export interface Invitation {
  id: string;
  role: UserRole;
  email: string | null;
  expires_at: string;
}

export interface CreatedInvitation extends Invitation {
  code: string;
}

export interface CreateInvitationBody {
  role: UserRole;
  email?: string;
}

export const roleLabels: Record<UserRole, string> = { admin: 'Admin', member: 'Member' };
