import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountRoute, ApiTokenAccess, CurrentUser } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import type { CurrentUserSnapshot } from '../auth/principal';
import { ErrorResponse } from '../http/error-response';
import { ApiInvalidInput, ApiJsonBody } from '../tasks/tasks.api-docs';
import { CommentsService } from './comments.service';
import { CommentBodyDto, CommentResponse, ListCommentsQueryDto } from './dto/comment.dto';

const DEFAULT_LIMIT = 50;
const TASK_PARAM = ApiParam({ name: 'id', description: "The task's id or key (any case)." });
const NOT_FOUND = ApiNotFoundResponse({ description: 'No such task, or no such comment on it.', type: ErrorResponse });

/** A task's comments (AUTH_MODE=required only: comments belong to members). */
@ApiTags('comments')
@Controller('tasks/:id/comments')
@AccountRoute()
@ApiTokenAccess()
@ApiCredential('An access token or an API token (a `read` token only on GET: 403 otherwise).')
@ApiForbiddenResponse({ description: 'A `read` API token on a route that writes.', type: ErrorResponse })
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get()
  @ApiOperation({ summary: "A task's comments, oldest first" })
  @TASK_PARAM
  @ApiOkResponse({
    type: [CommentResponse],
    headers: {
      'X-Total-Count': { description: 'Comments on the task.', schema: { type: 'integer' } },
      'X-Next-Cursor': { description: 'Present while more follow: pass it as `cursor`.', schema: { type: 'string' } },
    },
  })
  @NOT_FOUND
  @ApiInvalidInput()
  async list(@Param('id') idOrKey: string, @Query() query: ListCommentsQueryDto, @Res({ passthrough: true }) response: Response): Promise<CommentResponse[]> {
    const page = await this.comments.list(idOrKey, query.limit ?? DEFAULT_LIMIT, query.cursor);
    response.setHeader('X-Total-Count', String(page.total));
    if (page.nextCursor) response.setHeader('X-Next-Cursor', page.nextCursor);
    return page.comments;
  }

  @Post()
  @ApiOperation({ summary: 'Comment on a task', description: 'Mentioned users and watchers are notified; the author watches the task.' })
  @TASK_PARAM
  @ApiCreatedResponse({ type: CommentResponse, headers: { Location: { description: 'Path of the new comment.', schema: { type: 'string' } } } })
  @NOT_FOUND
  @ApiConflictResponse({ description: "The task's project is archived.", type: ErrorResponse })
  @ApiInvalidInput()
  @ApiJsonBody()
  async create(@Param('id') idOrKey: string, @Body() body: CommentBodyDto, @CurrentUser() user: CurrentUserSnapshot, @Res({ passthrough: true }) response: Response): Promise<CommentResponse> {
    const comment = await this.comments.create(idOrKey, body.body, user);
    response.setHeader('Location', `/tasks/${comment.task_id}/comments/${comment.id}`);
    return comment;
  }

  @Patch(':commentId')
  @ApiOperation({ summary: 'Edit my comment', description: 'Users it newly mentions are notified.' })
  @TASK_PARAM
  @ApiOkResponse({ type: CommentResponse })
  @ApiForbiddenResponse({ description: 'Not the author (or a `read` API token).', type: ErrorResponse })
  @NOT_FOUND
  @ApiConflictResponse({ description: "The task's project is archived.", type: ErrorResponse })
  @ApiInvalidInput()
  @ApiJsonBody()
  update(@Param('id') idOrKey: string, @Param('commentId') commentId: string, @Body() body: CommentBodyDto, @CurrentUser() user: CurrentUserSnapshot): Promise<CommentResponse> {
    return this.comments.update(idOrKey, commentId, body.body, user);
  }

  @Delete(':commentId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a comment (its author, or an admin)' })
  @TASK_PARAM
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiForbiddenResponse({ description: 'Neither the author nor an admin (or a `read` API token).', type: ErrorResponse })
  @NOT_FOUND
  @ApiConflictResponse({ description: "The task's project is archived.", type: ErrorResponse })
  async remove(@Param('id') idOrKey: string, @Param('commentId') commentId: string, @CurrentUser() user: CurrentUserSnapshot): Promise<void> {
    await this.comments.remove(idOrKey, commentId, user);
  }
}
