import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ListTasksQueryDto } from '../../tasks/dto/list-tasks-query.dto';

/** A cursor is the decimal number of a change (`0`: before the first). */
export const CURSOR_PATTERN = /^\d{1,18}$/;

export class ChangesQueryDto extends PickType(ListTasksQueryDto, ['limit'] as const) {
  @ApiPropertyOptional({
    description: 'A cursor: `next_cursor` of an earlier answer, an event id, or `0` for everything the log still keeps. Default 0.',
    example: '42',
  })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'since must be a cursor (digits)' })
  since?: string;
}

/** Paged like GET /tasks: the same `skip` and `limit`, rules and defaults. */
export class HistoryQueryDto extends PickType(ListTasksQueryDto, ['skip', 'limit'] as const) {}

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
