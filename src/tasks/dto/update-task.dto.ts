import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsNotEmpty, IsString, ValidateIf } from 'class-validator';
import { TaskPriority, TaskStatus } from '../task.enums';
import { AtMostDistinct, CreateTaskDto, MAX_LABELS_PER_TASK, trimIfString, unlessOmitted } from './create-task.dto';
import { IsTaskText } from './task-text.validator';

/**
 * Partial update: only the fields present change, `null` clears a nullable field. `title`, `status`
 * and `priority` may be omitted but never cleared, so they are redeclared with all their validators
 * (PartialType would make them accept `null`).
 */
export class UpdateTaskDto extends PartialType(CreateTaskDto) {
  @ApiPropertyOptional({
    description: 'Surrounding white space is trimmed; 1 to 200 characters remain. Cannot be null.',
    minLength: 1,
    maxLength: 200,
    example: 'Prepare the sprint demo',
  })
  @ValidateIf(unlessOmitted)
  @Transform(trimIfString)
  @IsTaskText(200)
  @IsNotEmpty()
  override title?: string;

  @ApiPropertyOptional({ enum: TaskStatus, enumName: 'TaskStatus', description: 'Unchanged when omitted; cannot be null.', example: TaskStatus.InProgress })
  @ValidateIf(unlessOmitted)
  @IsEnum(TaskStatus)
  override status?: TaskStatus;

  @ApiPropertyOptional({ enum: TaskPriority, enumName: 'TaskPriority', description: 'Unchanged when omitted; cannot be null.', example: TaskPriority.Low })
  @ValidateIf(unlessOmitted)
  @IsEnum(TaskPriority)
  override priority?: TaskPriority;

  // Redeclared: a task always belongs to a project and has a set of labels, so neither can be null.
  @ApiPropertyOptional({
    description: 'Moves the task to this project (id or key, any case): it takes the next number there; its old key keeps finding it. Cannot be null.',
    example: 'WEB',
  })
  @ValidateIf(unlessOmitted)
  @IsTaskText(100)
  @IsNotEmpty()
  override project_id?: string;

  @ApiPropertyOptional({ type: [String], description: 'The full new set of labels (at most 20 ids; [] removes them all). Cannot be null.', example: [] })
  @ValidateIf(unlessOmitted)
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(1000)
  @AtMostDistinct(MAX_LABELS_PER_TASK)
  override label_ids?: string[];
}
