import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsEnum, IsInt, IsNotEmpty, IsOptional, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { isIssuedId } from '../../http/issued-id';
import { decodeTaskCursor } from '../task-cursor';
import { IsTimestamp, TIMESTAMP_INPUT_PATTERN } from '../timestamp';
import { SortOrder, TaskPriority, TaskSortKey, TaskStatus } from '../task.enums';
import { IsTaskText } from './task-text.validator';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

// Only plain digits become numbers: `1e3`, ` 5`, `0x10` or a repeated parameter stay as they are and fail IsInt.
export const digitsToNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/**
 * Filters of `GET /tasks`, `/tasks/count`, `/tasks/search` and `/tasks/filter/{status}`. Query values
 * arrive as strings (or arrays when repeated); `IsOptional` only lets a parameter be absent, so an
 * empty or repeated value is refused.
 */
export class TaskFiltersDto {
  @ApiPropertyOptional({ enum: TaskStatus, enumName: 'TaskStatus', description: 'Exact match.' })
  @IsOptional()
  @IsEnum(TaskStatus)
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: TaskPriority, enumName: 'TaskPriority', description: 'Exact match.' })
  @IsOptional()
  @IsEnum(TaskPriority)
  priority?: TaskPriority;

  @ApiPropertyOptional({ description: 'Exact match.', example: 'alice' })
  @IsOptional()
  @IsTaskText()
  @IsNotEmpty()
  assignee?: string;

  @ApiPropertyOptional({
    description: 'Case-insensitive substring of title or description; `%`, `_` and `\\` are literal.',
    example: 'demo',
  })
  @IsOptional()
  @IsTaskText()
  @IsNotEmpty()
  q?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: TIMESTAMP_INPUT_PATTERN,
    description: 'Only tasks due strictly before this instant (tasks without a due date are excluded). A date alone (`2026-12-31`) is midnight UTC.',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsTimestamp()
  due_before?: string;

  @ApiPropertyOptional({
    type: String,
    pattern: TIMESTAMP_INPUT_PATTERN,
    description: 'Only tasks due strictly after this instant (tasks without a due date are excluded).',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsTimestamp()
  due_after?: string;

  @ApiPropertyOptional({
    description: "Only tasks of this project (its id or key, any case), archived or not; an unknown project is 422. Without it, tasks of archived projects are left out.",
  })
  @IsOptional()
  @IsTaskText(100)
  @IsNotEmpty()
  project_id?: string;

  @ApiPropertyOptional({
    description: 'Comma-separated label ids: only tasks carrying every one of them. An unknown label is 422.',
  })
  @IsOptional()
  @IsLabelIdList()
  label_ids?: string;

  @ApiPropertyOptional({
    type: String,
    description: "`me` (the caller's tasks), `none` (tasks assigned to no member) or a user id. Ignored in AUTH_MODE=off, where there are no members.",
  })
  // Checked by TasksService, since in AUTH_MODE=off it is an unknown parameter, ignored whatever it holds.
  @Allow()
  assignee_id?: unknown;
}

const MAX_LABEL_FILTER = 20;

/** `id[,id...]`: at most 20 label ids, as this API issues them. */
function IsLabelIdList(): PropertyDecorator {
  return ValidateBy({
    name: 'isLabelIdList',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        const ids = value.split(',');
        return ids.length <= MAX_LABEL_FILTER && ids.every(isIssuedId);
      },
      defaultMessage: () => `label_ids must be 1 to ${MAX_LABEL_FILTER} comma-separated label ids`,
    },
  });
}

/** A cursor this API issued (X-Next-Cursor) for the request's own sort and order. */
function IsTaskCursor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTaskCursor',
      validator: {
        validate(value: unknown, args): boolean {
          const cursor = typeof value === 'string' ? decodeTaskCursor(value) : null;
          const query = args?.object as ListTasksQueryDto | undefined;
          return cursor !== null && cursor.sort === (query?.sort ?? TaskSortKey.CreatedAt) && cursor.order === (query?.order ?? SortOrder.Asc);
        },
        defaultMessage: () => 'cursor must be the X-Next-Cursor of a page listed with the same sort and order',
      },
    },
    options,
  );
}

export class ListTasksQueryDto extends TaskFiltersDto {
  @ApiPropertyOptional({ enum: TaskSortKey, enumName: 'TaskSortKey', default: TaskSortKey.CreatedAt })
  @IsOptional()
  @IsEnum(TaskSortKey)
  sort?: TaskSortKey;

  @ApiPropertyOptional({
    enum: SortOrder,
    enumName: 'SortOrder',
    default: SortOrder.Asc,
    description: 'Ties are broken by id in the same direction; tasks without due_date come last in either order.',
  })
  @IsOptional()
  @IsEnum(SortOrder)
  order?: SortOrder;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Tasks to skip.' })
  @Transform(digitsToNumber)
  @IsOptional()
  // class-validator checks the decorators bottom-up and the pipe stops at the first failure, so the
  // type goes last: `-1` or `1e3` must be reported as not an integer, not as out of range.
  @Max(Number.MAX_SAFE_INTEGER)
  @Min(0)
  @IsInt()
  skip?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @Transform(digitsToNumber)
  @IsOptional()
  @Max(MAX_LIMIT)
  @Min(1)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({
    description:
      'Keyset paging: the `X-Next-Cursor` header of the previous page, sent with the same filters, sort and order. ' +
      'The page starts right after the last task of that page, so a page far into a long list costs what the first ' +
      'does (skip reads and discards every skipped task). Tasks added or changed meanwhile neither repeat nor shift ' +
      'the pages. `skip`, if also given, counts from the cursor.',
    example: 'WyJjcmVhdGVkX2F0IiwiYXNjIiwiMjAyNi0xMS0yMlQwOToxNTowMC4wMDBaIiwiMGI2ZjJhOWUiXQ',
  })
  @IsOptional()
  @IsTaskCursor()
  cursor?: string;
}
