import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountRoute, ApiTokenAccess, CurrentUser } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import type { CurrentUserSnapshot } from '../auth/principal';
import { ErrorResponse } from '../http/error-response';
import { TaskAuthorResponse } from '../tasks/dto/task-response.dto';
import { ApiInvalidInput, ApiJsonBody } from '../tasks/tasks.api-docs';
import { TasksService } from '../tasks/tasks.service';
import { ListNotificationsQueryDto, MarkReadDto, NotificationResponse, UnreadCountResponse } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

const DEFAULT_LIMIT = 50;

/** The caller's own notifications (AUTH_MODE=required only). */
@ApiTags('notifications')
@Controller('notifications')
@AccountRoute()
@ApiTokenAccess()
@ApiCredential('An access token or an API token (a `read` token only on GET: 403 otherwise).')
@ApiForbiddenResponse({ description: 'A `read` API token on a route that writes.', type: ErrorResponse })
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'My notifications, newest first', description: 'Read ones are kept 90 days.' })
  @ApiOkResponse({
    type: [NotificationResponse],
    headers: {
      'X-Unread-Count': { description: 'Unread notifications of the caller.', schema: { type: 'integer' } },
      'X-Next-Cursor': { description: 'Present while older notifications follow: pass it as `cursor`.', schema: { type: 'string' } },
    },
  })
  @ApiInvalidInput()
  async list(@CurrentUser() user: CurrentUserSnapshot, @Query() query: ListNotificationsQueryDto, @Res({ passthrough: true }) response: Response): Promise<NotificationResponse[]> {
    const page = await this.notifications.list(user.id, { unreadOnly: query.unread === 'true', limit: query.limit ?? DEFAULT_LIMIT, cursor: query.cursor });
    response.setHeader('X-Unread-Count', String(page.unread));
    if (page.nextCursor) response.setHeader('X-Next-Cursor', page.nextCursor);
    return page.notifications;
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of my notifications are unread' })
  @ApiOkResponse({ type: UnreadCountResponse })
  async unreadCount(@CurrentUser() user: CurrentUserSnapshot): Promise<UnreadCountResponse> {
    return { unread: await this.notifications.unreadCount(user.id) };
  }

  @Post('read')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Mark notifications read', description: '`{"ids": [...]}` or `{"all": true}`; ids of other users\' notifications are ignored.' })
  @ApiNoContentResponse({ description: 'Marked.' })
  @ApiInvalidInput()
  @ApiJsonBody()
  async markRead(@CurrentUser() user: CurrentUserSnapshot, @Body() body: MarkReadDto): Promise<void> {
    await this.notifications.markRead(user.id, body);
  }
}

/** Watching a task (AUTH_MODE=required only). */
@ApiTags('notifications')
@Controller('tasks')
@AccountRoute()
@ApiTokenAccess()
@ApiCredential('An access token or an API token (a `read` token only on GET: 403 otherwise).')
@ApiForbiddenResponse({ description: 'A `read` API token on a route that writes.', type: ErrorResponse })
export class WatchersController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly tasks: TasksService,
  ) {}

  @Get(':id/watchers')
  @ApiOperation({ summary: "A task's watchers", description: 'Its creator, member assignee, commenters and mentioned users, and whoever asked to watch, minus whoever asked to stop.' })
  @ApiParam({ name: 'id', description: "The task's id or key (any case)." })
  @ApiOkResponse({ type: [TaskAuthorResponse] })
  @ApiNotFoundResponse({ description: 'No such task.', type: ErrorResponse })
  async watchers(@Param('id') idOrKey: string): Promise<TaskAuthorResponse[]> {
    const task = await this.tasks.findOne(idOrKey);
    return this.notifications.watchers(task.id);
  }

  @Put(':id/watch')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Watch a task', description: 'Works in archived projects too.' })
  @ApiParam({ name: 'id', description: "The task's id or key (any case)." })
  @ApiNoContentResponse({ description: 'The caller watches the task.' })
  @ApiNotFoundResponse({ description: 'No such task.', type: ErrorResponse })
  async watch(@Param('id') idOrKey: string, @CurrentUser() user: CurrentUserSnapshot): Promise<void> {
    const task = await this.tasks.findOne(idOrKey);
    await this.notifications.setWatching(task.id, user.id, true);
  }

  @Delete(':id/watch')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop watching a task', description: 'Being newly assigned or mentioned, or commenting, makes one watch again.' })
  @ApiParam({ name: 'id', description: "The task's id or key (any case)." })
  @ApiNoContentResponse({ description: 'The caller no longer watches the task.' })
  @ApiNotFoundResponse({ description: 'No such task.', type: ErrorResponse })
  async unwatch(@Param('id') idOrKey: string, @CurrentUser() user: CurrentUserSnapshot): Promise<void> {
    const task = await this.tasks.findOne(idOrKey);
    await this.notifications.setWatching(task.id, user.id, false);
  }
}
