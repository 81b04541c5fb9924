import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommentResponse } from '../../comments/dto/comment.dto';
import { TaskAuthorResponse, TaskResponse } from '../../tasks/dto/task-response.dto';
import { TaskChangeKind } from '../task-change.entity';


export class FieldChange {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    nullable: true,
    description: 'The value before the write, in wire form: a string or null, except `label_ids`, a sorted array of label ids; null for a creation.',
    example: 'in_progress',
  })
  old!: string | string[] | null;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], nullable: true, description: 'The value after the write (wire form); null for a deletion.', example: 'done' })
  new!: string | string[] | null;
}

export class TaskChangeResponse {
  @ApiProperty({ description: 'Position in the change log; the cursor of GET /tasks/changes and the id of its event.', example: '42' })
  cursor!: string;

  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty({ enum: TaskChangeKind, enumName: 'TaskChangeKind' })
  kind!: TaskChangeKind;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/FieldChange' },
    description:
      'The fields the write changed (title, description, status, priority, assignee, due_date, project_id, label_ids, assignee_id), each with its old and new value; a creation lists its fields that are not null (old: null), a deletion those that were not null (new: null); an update that changed no value, and a comment entry, list none.',
    example: { status: { old: 'in_progress', new: 'done' } },
  })
  changes!: Record<string, FieldChange>;

  @ApiProperty({ type: TaskAuthorResponse, nullable: true, description: 'Who made the change (current name); null in AUTH_MODE=off.' })
  user!: TaskAuthorResponse | null;

  @ApiProperty({ format: 'date-time' })
  changed_at!: string;

  @ApiProperty({ type: TaskResponse, nullable: true, description: 'The task as this change left it; null for a deletion (a tombstone). For a comment entry, the task as it stands.' })
  task!: TaskResponse | null;

  @ApiPropertyOptional({
    type: CommentResponse,
    nullable: true,
    description: 'Only on comment entries (kind `comment_created`, `comment_updated`, `comment_deleted`): the comment as written; null for a deletion.',
  })
  comment?: CommentResponse | null;
}

export class TaskChangesPage {
  @ApiProperty({ type: [TaskChangeResponse], description: 'Oldest first.' })
  changes!: TaskChangeResponse[];

  @ApiProperty({ description: 'Pass it as `since` to get what comes next (the same value when nothing came).', example: '42' })
  next_cursor!: string;

  @ApiProperty({ description: 'True when more changes are waiting: ask again at once.' })
  has_more!: boolean;
}
