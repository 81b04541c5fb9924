// Written from CONTRACT-ACCOUNTS.md until the backend's OpenAPI document has the accounts routes; then derived from
// the generated schema like task.types.ts.
export type UserRole = 'admin' | 'member';
export type TokenScope = 'read' | 'write';

export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  created_at: string;
}

export interface AuthStatus {
  auth_mode: 'required' | 'off';
  setup_required: boolean;
  registration: 'invite' | 'open';
}

export interface AccessToken {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface Session extends AccessToken {
  user: User;
}

export interface SetupBody {
  setup_token: string;
  email: string;
  name: string;
  password: string;
}

export interface RegisterBody {
  email: string;
  name: string;
  password: string;
  invitation?: string;
}

export interface SignInBody {
  email: string;
  password: string;
}

export interface UpdateMeBody {
  name?: string;
  email?: string;
  password?: string;
  current_password?: string;
}

export interface SessionInfo {
  id: string;
  created_at: string;
  last_used_at: string;
  user_agent: string | null;
  current: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface CreateApiTokenBody {
  name: string;
  scope: TokenScope;
  expires_in_days?: number;
}

export interface NewApiToken extends ApiToken {
  token: string;
}

export const scopeLabels: Record<TokenScope, string> = { read: 'Read only', write: 'Read and write' };
