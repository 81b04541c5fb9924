import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, Matches, ValidateIf } from 'class-validator';
import { trimIfString, unlessOmitted } from '../../tasks/dto/create-task.dto';
import { IsTaskText } from '../../tasks/dto/task-text.validator';
import { normalizeProjectKey, PROJECT_KEY } from '../project-key';
import { Project } from '../project.entity';

const upperCaseKey = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeProjectKey(value) : value);
const KEY_RULE = 'key must be 2 to 10 ASCII letters or digits, starting with a letter (e.g. WEB)';

export class CreateProjectDto {
  @ApiProperty({
    description: 'Prefix of the task keys (`WEB-12`): a letter, then 1 to 9 letters or digits; sent in any case, stored upper-case; unique; fixed once created.',
    minLength: 2,
    maxLength: 10,
    example: 'WEB',
  })
  @Transform(upperCaseKey)
  @IsTaskText()
  @Matches(PROJECT_KEY, { message: KEY_RULE })
  key!: string;

  @ApiProperty({ description: 'Surrounding white space is trimmed; 1 to 100 characters remain.', minLength: 1, maxLength: 100, example: 'Website' })
  @Transform(trimIfString)
  @IsTaskText(100)
  @IsNotEmpty()
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, example: 'The public site and its blog' })
  @IsOptional()
  @IsTaskText(1000)
  description?: string | null;
}

export class UpdateProjectDto {
  @ApiPropertyOptional({ description: 'The key cannot change: the same key (any case) is accepted and ignored, another one is 422.', example: 'WEB' })
  @ValidateIf(unlessOmitted)
  @Transform(upperCaseKey)
  @IsTaskText()
  key?: string;

  @ApiPropertyOptional({ description: 'Surrounding white space is trimmed; 1 to 100 characters remain.', minLength: 1, maxLength: 100, example: 'Website' })
  @ValidateIf(unlessOmitted)
  @Transform(trimIfString)
  @IsTaskText(100)
  @IsNotEmpty()
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, description: '`null` clears it.' })
  @IsOptional()
  @IsTaskText(1000)
  description?: string | null;

  @ApiPropertyOptional({
    description: "Archiving hides the project's tasks from the unfiltered lists, counts and statistics and refuses writes to them (409); the default project cannot be archived.",
  })
  @ValidateIf(unlessOmitted)
  @IsBoolean()
  archived?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    enum: [true],
    description: '`true` makes this project the default one (new tasks without project_id go there); `false` is refused: make another project the default instead. With `archived: false` in the same body the project is un-archived first.',
  })
  @ValidateIf(unlessOmitted)
  @IsIn([true], { message: 'default can only be set to true: make another project the default instead' })
  default?: true;
}

export class ListProjectsQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Also list archived projects.' })
  @IsOptional()
  @IsIn(['true', 'false'])
  include_archived?: 'true' | 'false';
}

export class ProjectResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'WEB' })
  key!: string;

  @ApiProperty({ example: 'Website' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: 'Whether new tasks without project_id go here. Exactly one project is the default.' })
  default!: boolean;

  @ApiProperty()
  archived!: boolean;

  @ApiProperty({ description: 'Tasks in the project.', example: 12 })
  task_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export function toProjectResponse(project: Project, taskCount: number): ProjectResponse {
  return {
    id: project.id,
    key: project.key,
    name: project.name,
    description: project.description,
    default: Boolean(project.isDefault),
    archived: Boolean(project.archived),
    task_count: taskCount,
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}

export { KEY_RULE };
