import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Invitation } from '../invitation.entity';
import { UserRole } from '../user-role';
import { EMAIL_MAX_LENGTH, IsAccountEmail } from './account-fields';

export class CreateInvitationDto {
  @ApiProperty({ enum: UserRole, enumName: 'UserRole', description: 'The role the invited person gets.' })
  @IsEnum(UserRole)
  role!: UserRole;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: EMAIL_MAX_LENGTH,
    description: 'When given, only this email can register with the invitation.',
    example: 'bob@example.com',
  })
  @IsOptional()
  @IsAccountEmail()
  email?: string | null;
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: UserRole, enumName: 'UserRole' })
  role!: UserRole;

  @ApiProperty({ type: String, nullable: true, example: 'bob@example.com' })
  email!: string | null;

  @ApiProperty({ format: 'date-time', description: '7 days after creation.' })
  expires_at!: string;
}

export class CreatedInvitationResponse extends InvitationResponse {
  @ApiProperty({
    description: 'The code to register with (`invitation` of POST /auth/register). Shown only in this answer.',
    example: 'b3JhbmdlLXRpZ2VyLXNwcmluZy1yaXZlcg',
  })
  code!: string;
}

export function toInvitationResponse(invitation: Invitation): InvitationResponse {
  return {
    id: invitation.id,
    role: invitation.role,
    email: invitation.email,
    expires_at: invitation.expiresAt.toISOString(),
  };
}
