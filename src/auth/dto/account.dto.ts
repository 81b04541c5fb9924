import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { unlessOmitted } from '../../tasks/dto/create-task.dto';
import { UserResponse } from '../../users/dto/user-response.dto';
import { EMAIL_MAX_LENGTH, IsAccountEmail, IsDisplayName, IsPassword, NAME_MAX_LENGTH } from '../../users/dto/account-fields';
import { EmailNotifications, Locale } from '../../users/user-preferences';
import { ApiToken, ApiTokenScope } from '../api-token.entity';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';
import { Session } from '../session.entity';

export class UpdateMeDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: NAME_MAX_LENGTH })
  @ValidateIf(unlessOmitted)
  @IsDisplayName()
  name?: string;

  @ApiPropertyOptional({ maxLength: EMAIL_MAX_LENGTH, description: 'Needs current_password.' })
  @ValidateIf(unlessOmitted)
  @IsAccountEmail()
  email?: string;

  @ApiPropertyOptional({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'Needs current_password; ends every other session of the user (API tokens stay valid).',
  })
  @ValidateIf(unlessOmitted)
  @IsPassword()
  password?: string;

  @ApiPropertyOptional({ description: 'Required to change email or password.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  current_password?: string;

  @ApiPropertyOptional({ enum: Locale, enumName: 'Locale', description: 'The language of your emails.' })
  @ValidateIf(unlessOmitted)
  @IsEnum(Locale)
  locale?: Locale;

  @ApiPropertyOptional({
    enum: EmailNotifications,
    enumName: 'EmailNotifications',
    description: '`instant` (several combined into one email), `daily` (a digest at 07:00 UTC) or `off`.',
  })
  @ValidateIf(unlessOmitted)
  @IsEnum(EmailNotifications)
  email_notifications?: EmailNotifications;
}

export class SessionTokenResponse {
  @ApiProperty({ description: 'A JWT (HS256); send it as `Authorization: Bearer <access_token>`.' })
  access_token!: string;

  @ApiProperty({ enum: ['bearer'], example: 'bearer' })
  token_type!: 'bearer';

  @ApiProperty({ description: 'Seconds until the access token expires.', example: 900 })
  expires_in!: number;
}

export class SignedInResponse extends SessionTokenResponse {
  @ApiProperty({ type: UserResponse })
  user!: UserResponse;
}

export class AuthStatusResponse {
  @ApiProperty({ enum: ['required', 'off'] })
  auth_mode!: 'required' | 'off';

  @ApiProperty({ description: 'True while no user exists: POST /auth/setup creates the first admin.' })
  setup_required!: boolean;

  @ApiProperty({ enum: ['invite', 'open'], description: '`invite`: registering needs an invitation code.' })
  registration!: 'invite' | 'open';

  @ApiProperty({ description: 'True when the server sends email (SMTP_URL is set): password reset by email, invitation emails.' })
  email!: boolean;
}

export class IssuedPasswordResetResponse {
  @ApiProperty({ description: 'The reset token, shown only in this answer: single use, valid 60 minutes.' })
  token!: string;

  @ApiProperty({ description: 'The web app\'s reset page with the token: `APP_URL/reset-password?token=<token>`.', example: 'https://taskflow.example.com/reset-password?token=Zm9v' })
  url!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}

export class SessionInfoResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  last_used_at!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64)' })
  user_agent!: string | null;

  @ApiProperty({ description: 'True for the session of the access token that asked.' })
  current!: boolean;
}

export function toSessionInfo(session: Session, currentSessionId: string | undefined): SessionInfoResponse {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    last_used_at: session.lastUsedAt.toISOString(),
    user_agent: session.userAgent,
    current: session.id === currentSessionId,
  };
}

export class CreateApiTokenDto {
  @ApiProperty({ minLength: 1, maxLength: NAME_MAX_LENGTH, example: 'nightly export' })
  @IsDisplayName()
  name!: string;

  @ApiProperty({ enum: ApiTokenScope, enumName: 'ApiTokenScope', description: '`read`: GET only; `write`: every task route.' })
  @IsEnum(ApiTokenScope)
  scope!: ApiTokenScope;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, nullable: true, description: 'Omitted or null: never expires.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expires_in_days?: number | null;
}

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'nightly export' })
  name!: string;

  @ApiProperty({ enum: ApiTokenScope, enumName: 'ApiTokenScope' })
  scope!: ApiTokenScope;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute.' })
  last_used_at!: string | null;
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'The token (`tf_...`); shown only in this answer. Send it as `Authorization: Bearer`.' })
  token!: string;
}

export function toApiTokenResponse(token: ApiToken): ApiTokenResponse {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
  };
}
