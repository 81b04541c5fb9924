import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { EMAIL_MAX_LENGTH, IsAccountEmail, IsDisplayName, IsPassword, NAME_MAX_LENGTH } from '../../users/dto/account-fields';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';

const emailProperty = { maxLength: EMAIL_MAX_LENGTH, description: 'Trimmed; compared without regard to case.', example: 'alice@example.com' };
const nameProperty = { minLength: 1, maxLength: NAME_MAX_LENGTH, example: 'Alice Martin' };
const passwordProperty = {
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: 'Any characters; no composition rules.',
  example: 'correct horse battery staple',
};

export class LoginDto {
  @ApiProperty(emailProperty)
  @IsString()
  @MaxLength(1000)
  email!: string;

  @ApiProperty({ example: passwordProperty.example })
  @IsString()
  @MaxLength(1000)
  password!: string;
}

export class SetupDto {
  @ApiProperty({ description: 'SETUP_TOKEN, or the token the server wrote to its log at start.' })
  @IsString()
  @MaxLength(1000)
  setup_token!: string;

  @ApiProperty(emailProperty)
  @IsAccountEmail()
  email!: string;

  @ApiProperty(nameProperty)
  @IsDisplayName()
  name!: string;

  @ApiProperty(passwordProperty)
  @IsPassword()
  password!: string;
}

export class RegisterDto {
  @ApiProperty(emailProperty)
  @IsAccountEmail()
  email!: string;

  @ApiProperty(nameProperty)
  @IsDisplayName()
  name!: string;

  @ApiProperty(passwordProperty)
  @IsPassword()
  password!: string;

  @ApiPropertyOptional({ description: 'The invitation code; required when REGISTRATION=invite.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  invitation?: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ ...emailProperty, description: 'The account\'s email. Unknown emails get the same answer.' })
  @IsString()
  @MaxLength(1000)
  email!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The `token` of the reset link (from the email, or from an admin).' })
  @IsString()
  @MinLength(1, { message: 'token must not be empty' })
  @MaxLength(1000)
  token!: string;

  @ApiProperty(passwordProperty)
  @IsPassword()
  password!: string;
}
