import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DEFAULT_LIMIT, digitsToNumber, MAX_LIMIT } from '../../tasks/dto/list-tasks-query.dto';

/** A cursor is the decimal number of a change (`0`: before the first). */
export const CURSOR_PATTERN = /^\d{1,18}$/;

export class ChangesQueryDto {
  @ApiPropertyOptional({
    description: 'A cursor: `next_cursor` of an earlier answer, an event id, or `0` for everything the log still keeps. Default 0.',
    example: '42',
  })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'since must be a cursor (digits)' })
  since?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @Transform(digitsToNumber)
  @IsOptional()
  @Max(MAX_LIMIT)
  @Min(1)
  @IsInt()
  limit?: number;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Entries to skip.' })
  @Transform(digitsToNumber)
  @IsOptional()
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
}

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'A ticket from POST /tasks/events/ticket (for EventSource, which cannot send headers).' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'ticket is malformed' })
  ticket?: string;

  @ApiPropertyOptional({ description: 'Same as the Last-Event-ID header (which wins when both are sent).', example: '42' })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'last_event_id must be a cursor (digits)' })
  last_event_id?: string;
}
