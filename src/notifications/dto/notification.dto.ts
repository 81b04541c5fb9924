import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, Equals, IsArray, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { TaskAuthorResponse } from '../../tasks/dto/task-response.dto';
import { NotificationKind } from '../notification.entity';

export class NotificationTaskResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: "The task's current key (as it was, for a deleted task).", example: 'TF-12' })
  key!: string | null;

  @ApiProperty({ example: 'Fix login' })
  title!: string;
}

export class NotificationWebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/taskflow' })
  url!: string;
}

export class NotificationResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: NotificationKind, enumName: 'NotificationKind' })
  kind!: NotificationKind;

  @ApiProperty({ type: NotificationTaskResponse, nullable: true, description: 'Null only for webhook_disabled.' })
  task!: NotificationTaskResponse | null;

  @ApiProperty({ type: TaskAuthorResponse, nullable: true, description: 'Who caused it (current name); null for due_soon and webhook_disabled.' })
  actor!: TaskAuthorResponse | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The comment of a mentioned or commented notification.' })
  comment_id!: string | null;

  @ApiProperty({ type: NotificationWebhookResponse, nullable: true, description: 'The webhook of a webhook_disabled notification; null otherwise.' })
  webhook!: NotificationWebhookResponse | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  read_at!: string | null;
}

export class ListNotificationsQueryDto {
  @ApiPropertyOptional({ description: '`true`: unread ones only.', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Notifications per page, 1 to 200; default 50.', minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `X-Next-Cursor` of the previous page.' })
  @IsOptional()
  @Matches(/^[0-9]{1,19}$/, { message: 'cursor must be the X-Next-Cursor of a previous page' })
  cursor?: string;
}

export class UnreadCountResponse {
  @ApiProperty({ example: 3 })
  unread!: number;
}

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], description: 'The notifications to mark read; ids of other users\' notifications are ignored.', maxItems: 500 })
  @ValidateIf((body: MarkReadDto) => body.all === undefined || body.ids !== undefined)
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ description: '`true`: every notification of the caller.', enum: [true] })
  @ValidateIf((body: MarkReadDto) => body.all !== undefined)
  @Equals(true, { message: 'all must be true when present' })
  all?: true;
}
