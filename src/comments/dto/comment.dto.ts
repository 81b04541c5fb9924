import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsTaskText } from '../../tasks/dto/task-text.validator';
import { TaskAuthorResponse } from '../../tasks/dto/task-response.dto';

const NOT_ONLY_WHITE_SPACE = /\S/;

export class CommentBodyDto {
  @ApiProperty({
    description:
      'Markdown-free text, 1 to 10,000 characters, not only white space, stored as sent. `<@USER_ID>` (a user id in its canonical form) mentions an enabled user; any other text is plain.',
    minLength: 1,
    maxLength: 10_000,
    example: 'Can you check the login page, <@0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b>?',
  })
  @IsTaskText(10_000)
  @Matches(NOT_ONLY_WHITE_SPACE, { message: 'body must not be empty or only white space' })
  body!: string;
}

export class ListCommentsQueryDto {
  @ApiPropertyOptional({ description: 'Comments per page, 1 to 200; default 50.', minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `X-Next-Cursor` of the previous page.' })
  @IsOptional()
  @Matches(/^[0-9]{13}\.[0-9a-f-]{36}$/, { message: 'cursor must be the X-Next-Cursor of a previous page' })
  cursor?: string;
}

export class CommentResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  task_id!: string;

  @ApiProperty({ description: 'As sent; mentions are `<@USER_ID>` tokens.' })
  body!: string;

  @ApiProperty({ type: TaskAuthorResponse, description: 'Who wrote it (current name).' })
  author!: TaskAuthorResponse;

  @ApiProperty({ type: [TaskAuthorResponse], description: 'The users mentioned, once each, in order of first appearance, with their current names.' })
  mentions!: TaskAuthorResponse[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null until the first edit.' })
  edited_at!: string | null;
}
