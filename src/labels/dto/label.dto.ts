import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, Matches, ValidateIf } from 'class-validator';
import { trimIfString, unlessOmitted } from '../../tasks/dto/create-task.dto';
import { IsTaskText } from '../../tasks/dto/task-text.validator';
import { Label } from '../label.entity';

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);
const COLOR = /^#[0-9a-f]{6}$/;
const COLOR_RULE = 'color must be a colour in the form #rrggbb (e.g. #2563eb)';

export class CreateLabelDto {
  @ApiProperty({ description: 'Surrounding white space is trimmed; 1 to 50 characters remain; unique whatever the case.', minLength: 1, maxLength: 50, example: 'bug' })
  @Transform(trimIfString)
  @IsTaskText(50)
  @IsNotEmpty()
  name!: string;

  @ApiPropertyOptional({ description: '`#rrggbb`, stored lower-case. Default: `#6b7280`.', pattern: '^#[0-9a-fA-F]{6}$', example: '#dc2626' })
  @ValidateIf(unlessOmitted)
  @Transform(lowerCase)
  @IsTaskText()
  @Matches(COLOR, { message: COLOR_RULE })
  color?: string;
}

export class UpdateLabelDto {
  @ApiPropertyOptional({ description: 'Surrounding white space is trimmed; 1 to 50 characters remain; unique whatever the case. Renaming a label does not change the version of its tasks.', minLength: 1, maxLength: 50, example: 'bug' })
  @ValidateIf(unlessOmitted)
  @Transform(trimIfString)
  @IsTaskText(50)
  @IsNotEmpty()
  name?: string;

  @ApiPropertyOptional({ description: '`#rrggbb`, stored lower-case.', pattern: '^#[0-9a-fA-F]{6}$', example: '#dc2626' })
  @ValidateIf(unlessOmitted)
  @Transform(lowerCase)
  @IsTaskText()
  @Matches(COLOR, { message: COLOR_RULE })
  color?: string;
}

export class LabelResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'bug' })
  name!: string;

  @ApiProperty({ example: '#dc2626' })
  color!: string;

  @ApiProperty({ description: 'Tasks carrying the label.', example: 3 })
  task_count!: number;
}

export function toLabelResponse(label: Label, taskCount: number): LabelResponse {
  return { id: label.id, name: label.name, color: label.color, task_count: taskCount };
}
