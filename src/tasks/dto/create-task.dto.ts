import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsEnum, IsNotEmpty, IsOptional, IsString, ValidateBy, ValidateIf } from 'class-validator';
import { parseTimestamp, IsTimestamp } from '../timestamp';
import { Task, foldForSearch } from '../task.entity';
import { TaskPriority, TaskStatus } from '../task.enums';
import { IsTaskText } from './task-text.validator';

export const trimIfString = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Lets a field be omitted while still refusing an explicit `null`. */
export const unlessOmitted = (_: object, value: unknown) => value !== undefined;

export const MAX_LABELS_PER_TASK = 20;

/** At most 20 distinct strings: duplicates collapse before counting. */
export function AtMostDistinct(max: number): PropertyDecorator {
  return ValidateBy({
    name: 'atMostDistinct',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || new Set(value).size <= max,
      defaultMessage: (args) => `${args?.property} must name at most ${max} different labels`,
    },
  });
}

/** The project, labels and member assignee of a task, which Create and Update share. */
export class TaskRelationsDto {
  @ApiPropertyOptional({
    description: "The project's id or key (any case). On creation, default: the default project. Changing it moves the task: it takes the next number of that project, and its old key keeps finding it. An unknown project is 422; an archived one 409.",
    example: 'TF',
  })
  @ValidateIf(unlessOmitted)
  @IsTaskText(100)
  @IsNotEmpty()
  project_id?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'The full set of labels (it replaces the previous set): at most 20 label ids, duplicates collapsed; an unknown id is 422.',
    example: [],
  })
  @ValidateIf(unlessOmitted)
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(1000)
  @AtMostDistinct(MAX_LABELS_PER_TASK)
  label_ids?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A member to assign the task to, or null. An unknown or disabled user is 422. In AUTH_MODE=off there are no members and this field is ignored.',
  })
  // Checked by TasksService: in AUTH_MODE=off it is an unknown field, ignored whatever it holds.
  @Allow()
  assignee_id?: unknown;
}

export class CreateTaskDto extends TaskRelationsDto {
  @ApiProperty({
    description: 'Surrounding white space is trimmed; 1 to 200 characters remain.',
    minLength: 1,
    maxLength: 200,
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
    format: 'date-time',
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
> & {
  /** The project as the body named it (id or key), resolved by TasksService. */
  projectRef?: string;
  /** The new set of labels, without duplicates. */
  labelIds?: string[];
  /** The member assignee as sent; TasksService checks it (or ignores it in AUTH_MODE=off). */
  assigneeRef?: unknown;
};

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
  if (dto.project_id !== undefined) changes.projectRef = dto.project_id;
  if (dto.label_ids !== undefined) changes.labelIds = [...new Set(dto.label_ids)];
  if (dto.assignee_id !== undefined) changes.assigneeRef = dto.assignee_id;
  return changes;
}
