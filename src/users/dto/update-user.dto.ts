import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, ValidateIf } from 'class-validator';
import { unlessOmitted } from '../../tasks/dto/create-task.dto';
import { UserRole } from '../user-role';
import { IsDisplayName, NAME_MAX_LENGTH } from './account-fields';

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: NAME_MAX_LENGTH, pattern: '\\S', example: 'Alice Martin' })
  @ValidateIf(unlessOmitted)
  @IsDisplayName()
  name?: string;

  @ApiPropertyOptional({ enum: UserRole, enumName: 'UserRole', description: 'The last enabled admin cannot be demoted.' })
  @ValidateIf(unlessOmitted)
  @IsEnum(UserRole)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'Disabling ends every session of the user; the last enabled admin cannot be disabled.' })
  @ValidateIf(unlessOmitted)
  @IsBoolean()
  disabled?: boolean;
}
