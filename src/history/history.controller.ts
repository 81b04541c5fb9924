import { ProjectsService } from '../projects/projects.service';
import { Controller, Get, Headers, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountRoute, ApiTokenAccess, CurrentPrincipal } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import { refusal } from '../auth/auth.guard';
import { CredentialError, CredentialsService } from '../auth/credentials.service';
import { AuthenticatedRequest, Principal } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { ErrorResponse } from '../http/error-response';
import { DEFAULT_LIMIT } from '../tasks/dto/list-tasks-query.dto';
import { ApiInvalidInput, ApiTaskId, TOTAL_COUNT_HEADER } from '../tasks/tasks.api-docs';
import { Task } from '../tasks/task.entity';
import { TaskStatus } from '../tasks/task.enums';
import { isIssuedId } from '../http/issued-id';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeLogService } from './change-log.service';
import { ChangesQueryDto, CURSOR_PATTERN, EventsQueryDto, HistoryQueryDto } from './dto/changes-query.dto';
import { FieldChange, TaskChangeResponse, TaskChangesPage } from './dto/task-change-response.dto';
import { EventStreams } from './event-streams.service';
import { StreamTicketsService, TICKET_LIFETIME_SECONDS } from './stream-tickets.service';

class StreamTicketResponse {
  @ApiProperty({ description: 'Open the stream with GET /tasks/events?ticket=<ticket> within expires_in seconds; it works once.' })
  ticket!: string;

  @ApiProperty({ example: TICKET_LIFETIME_SECONDS })
  expires_in!: number;
}

const EVENT_FORMAT = [
  'Server-Sent Events. Each change is one event:',
  '`id: <cursor>` · `event: task.created | task.updated | task.deleted` · `data: <TaskChangeResponse as JSON>`.',
  'A comment line `: heartbeat` comes at least every 25 seconds. Reconnecting with `Last-Event-ID` (EventSource does it by itself)',
  'delivers what was missed, from the change log; a cursor older than the retention gets 410.',
  'The stream closes when the credential that opened it is revoked or expires.',
  'Browsers: get a single-use ticket from POST /tasks/events/ticket and open `/tasks/events?ticket=...`',
  '(EventSource cannot send an Authorization header); other clients may send `Authorization: Bearer` instead.',
].join(' ');

/** The change log of tasks: a task's history, incremental sync, and the live event stream. */
@ApiTags('history')
@Controller('tasks')
@ApiTokenAccess()
@ApiExtraModels(FieldChange)
export class HistoryController {
  constructor(
    private readonly changeLog: ChangeLogService,
    private readonly streams: EventStreams,
    private readonly tickets: StreamTicketsService,
    private readonly credentials: CredentialsService,
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly config: AppConfig,
    private readonly projects: ProjectsService,
  ) {}

  @Get('changes')
  @ApiCredential()
  @ApiOperation({
    summary: 'Changes after a cursor, for clients that keep a local copy',
    description: 'Oldest first; deleted tasks come as tombstones (`task: null`). Follow `next_cursor`; a cursor older than the retention gets 410: reload everything.',
  })
  @ApiOkResponse({ type: TaskChangesPage })
  @ApiGoneResponse({ description: 'The cursor is older than the change log keeps.', type: ErrorResponse })
  @ApiInvalidInput()
  async changes(@Query() query: ChangesQueryDto): Promise<TaskChangesPage> {
    const page = await this.changeLog.after(BigInt(query.since ?? '0'), query.limit ?? DEFAULT_LIMIT);
    return { changes: page.changes, next_cursor: page.nextCursor, has_more: page.hasMore };
  }

  @Post('events/ticket')
  @HttpCode(HttpStatus.CREATED)
  // Without accounts the stream needs no ticket (and there is no principal to issue one for): 404.
  @AccountRoute()
  @ApiCredential()
  @ApiOperation({ summary: 'A single-use ticket to open the event stream from a browser', description: `Valid ${TICKET_LIFETIME_SECONDS} seconds.` })
  @ApiCreatedResponse({ type: StreamTicketResponse })
  @ApiForbiddenResponse({ description: 'Called with a `read` API token: a ticket is asked for with POST.', type: ErrorResponse })
  async ticket(@CurrentPrincipal() principal: Principal, @Req() request: AuthenticatedRequest): Promise<StreamTicketResponse> {
    return { ticket: await this.tickets.issue(principal, request.credentialValidUntil ?? 0), expires_in: TICKET_LIFETIME_SECONDS };
  }

  @Get('events')
  @Public()
  @ApiCredential('A bearer credential, or a `ticket` query parameter.')
  @ApiOperation({ summary: 'Live stream of task changes (Server-Sent Events)', description: EVENT_FORMAT })
  @ApiOkResponse({ description: EVENT_FORMAT, content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this cursor.' })
  @ApiGoneResponse({ description: 'Last-Event-ID is older than the change log keeps.', type: ErrorResponse })
  @ApiUnauthorizedResponse({ description: 'No valid credential or ticket.', type: ErrorResponse })
  @ApiInvalidInput()
  async events(
    @Query() query: EventsQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const resumeFrom = lastEventId ?? query.last_event_id;
    if (resumeFrom !== undefined && !CURSOR_PATTERN.test(resumeFrom)) {
      throw new UnprocessableEntityException(['Last-Event-ID must be a cursor (digits)']);
    }
    const access = await this.streamAccess(query.ticket, authorization, response);
    const after = resumeFrom === undefined ? undefined : BigInt(resumeFrom);
    if (after !== undefined) await this.changeLog.assertKept(after);
    await this.streams.stream(response, { ...access, after });
  }

  @Get(':id/history')
  @ApiCredential()
  @ApiOperation({ summary: "A task's history, newest first", description: 'Paged like GET /tasks; still readable once the task is deleted.' })
  @ApiOkResponse({ type: [TaskChangeResponse], headers: TOTAL_COUNT_HEADER })
  @ApiTaskId()
  @ApiNotFoundResponse({ description: 'No task has, or ever had, this id.', type: ErrorResponse })
  @ApiInvalidInput()
  async history(@Param('id') idOrKey: string, @Query() query: HistoryQueryDto, @Res({ passthrough: true }) response: Response): Promise<TaskChangeResponse[]> {
    // HistoryModule's routes come first (for /tasks/changes), so GET /tasks/filter/history lands here; it is
    // the status filter with an unknown status, and gets that route's 422 (ids are UUIDs, never "filter").
    if (idOrKey === 'filter') throw new UnprocessableEntityException([`status must be one of the following values: ${Object.values(TaskStatus).join(', ')}`]);
    const id = (await this.projects.resolveTaskId(idOrKey)) ?? idOrKey;
    const { changes, total } = await this.changeLog.history(id, query.skip ?? 0, query.limit ?? DEFAULT_LIMIT);
    // Tasks written before the change log existed have no entries, but they exist.
    if (total === 0 && !(isIssuedId(id) && (await this.tasks.existsBy({ id })))) throw new NotFoundException(`Task ${idOrKey} not found`);
    response.setHeader('X-Total-Count', String(total));
    return changes;
  }

  /** Who opens the stream: a ticket, or the Authorization header (the global guard lets this route through). */
  private async streamAccess(ticket: string | undefined, authorization: string | undefined, response: Response) {
    if (this.config.authMode === 'off') return { principal: null, closesAt: Number.POSITIVE_INFINITY };
    if (ticket !== undefined) {
      const redeemed = await this.tickets.redeem(ticket);
      if (!redeemed) throw refusal(response, 'This ticket is unknown, used or expired: ask for a new one', true);
      return { principal: redeemed.principal, closesAt: redeemed.validUntil };
    }
    try {
      const { principal, validUntil } = await this.credentials.authenticate(authorization);
      return { principal, closesAt: validUntil };
    } catch (error) {
      if (!(error instanceof CredentialError)) throw error;
      throw refusal(response, error.message, error.credentialSent);
    }
  }
}
