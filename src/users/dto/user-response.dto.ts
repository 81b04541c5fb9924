import { ApiProperty } from '@nestjs/swagger';
import { User } from '../user.entity';
import { EmailNotifications, Locale } from '../user-preferences';
import { UserRole } from '../user-role';

export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'alice@example.com' })
  email!: string;

  @ApiProperty({ example: 'Alice Martin' })
  name!: string;

  @ApiProperty({ enum: UserRole, enumName: 'UserRole', example: UserRole.Member })
  role!: UserRole;

  @ApiProperty({ description: 'A disabled user cannot sign in; their credentials stop working.', example: false })
  disabled!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:15:00.000Z' })
  created_at!: string;

  @ApiProperty({
    enum: Locale,
    enumName: 'Locale',
    description: "The language of the user's emails: set from Accept-Language at registration or set-up, changed with PATCH /auth/me.",
    example: Locale.En,
  })
  locale!: Locale;

  @ApiProperty({
    enum: EmailNotifications,
    enumName: 'EmailNotifications',
    description: '`instant`: notifications by email, several combined; `daily`: one digest at 07:00 UTC; `off`: none.',
    example: EmailNotifications.Instant,
  })
  email_notifications!: EmailNotifications;
}

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: Boolean(user.disabled),
    created_at: user.createdAt.toISOString(),
    locale: user.locale,
    email_notifications: user.emailNotifications,
  };
}
