import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsOptional, ValidateIf } from 'class-validator';
import { parseTimestamp, IsTimestamp, TIMESTAMP_INPUT_PATTERN } from '../timestamp';
import { Task, foldForSearch } from '../task.entity';
import { TaskPriority, TaskStatus } from '../task.enums';
import { IsTaskText } from './task-text.validator';

export const trimIfString = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Lets a field be omitted while still refusing an explicit `null`. */
export const unlessOmitted = (_: object, value: unknown) => value !== undefined;

export class CreateTaskDto {
  @ApiProperty({
    description: 'Surrounding white space is trimmed; 1 to 200 characters remain.',
    minLength: 1,
    maxLength: 200,
    // Not white space alone, which trims to nothing.
    pattern: '\\S',
    example: 'Prepare the sprint demo',
  })
  @Transform(trimIfString)
  @IsTaskText(200)
  @IsNotEmpty()
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, example: 'Slides and a live run of the board' })
  @IsOptional()
  @IsTaskText(1000)
  description?: string | null;

  // Defaults are given in prose: a schema `default` would be inherited by UpdateTaskDto, where an
  // omitted field keeps its value instead.
  @ApiPropertyOptional({ enum: TaskStatus, enumName: 'TaskStatus', description: 'Default: `todo`.', example: TaskStatus.Todo })
  @ValidateIf(unlessOmitted)
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @ApiPropertyOptional({
    enum: TaskPriority,
    enumName: 'TaskPriority',
    description: 'Default: `medium`.',
    example: TaskPriority.High,
  })
  @ValidateIf(unlessOmitted)
  @IsEnum(TaskPriority)
  priority?: TaskPriority;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'alice' })
  @IsOptional()
  @IsTaskText(100)
  assignee?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: TIMESTAMP_INPUT_PATTERN,
    nullable: true,
    description: 'ISO 8601 date or date-time; without an offset it is UTC, a date alone is midnight UTC.',
    example: '2026-12-01T17:00:00.000Z',
  })
  @IsOptional()
  @IsTimestamp()
  due_date?: string | null;
}

/** The entity fields a validated create or update body sets; absent fields stay undefined. */
export type TaskChanges = Partial<
  Pick<Task, 'title' | 'description' | 'status' | 'priority' | 'assignee' | 'dueDate' | 'searchTitle' | 'searchDescription'>
>;

/** Wire to entity: only the fields present in the body, `null` kept to clear a nullable field. */
export function toTaskChanges(dto: Partial<CreateTaskDto>): TaskChanges {
  const changes: TaskChanges = {};
  if (dto.title !== undefined) {
    changes.title = dto.title;
    changes.searchTitle = foldForSearch(dto.title);
  }
  if (dto.description !== undefined) {
    changes.description = dto.description;
    changes.searchDescription = dto.description === null ? null : foldForSearch(dto.description);
  }
  if (dto.status !== undefined) changes.status = dto.status;
  if (dto.priority !== undefined) changes.priority = dto.priority;
  if (dto.assignee !== undefined) changes.assignee = dto.assignee;
  if (dto.due_date !== undefined) changes.dueDate = dto.due_date === null ? null : parseTimestamp(dto.due_date)!;
  return changes;
}
