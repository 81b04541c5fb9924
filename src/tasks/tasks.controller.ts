import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, OmitType } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import type { Response } from 'express';
import { ApiTokenAccess, CurrentAuthor } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import type { AuthenticatedRequest } from '../auth/principal';
import { ErrorResponse } from '../http/error-response';
import { ChangeLogService } from '../history/change-log.service';
import { ApiIdempotencyKey } from '../idempotency/idempotency.api-docs';
import { idempotencyScope } from '../idempotency/idempotency-scope';
import { IdempotencyService, REPLAYED_HEADER } from '../idempotency/idempotency.service';
import { CreateTaskDto, toTaskChanges } from './dto/create-task.dto';
import { ListTasksQueryDto, TaskFiltersDto } from './dto/list-tasks-query.dto';
import { TaskCountResponse, TaskResponse, TaskStatsResponse, toTaskResponse } from './dto/task-response.dto';
import { UpdateTaskDto } from './dto/update-task.dto';
import { taskEtag } from './task-etag';
import { Task } from './task.entity';
import { TaskStatus } from './task.enums';
import { ApiIfMatch, ApiInvalidInput, ApiJsonBody, ApiTaskId, ApiTaskWriteConflict, ETAG_HEADER, PAGE_HEADERS } from './tasks.api-docs';
import { TaskAuthor } from './task-author';
import { TasksService } from './tasks.service';

class FilterByStatusParams {
  @ApiProperty({ enum: TaskStatus, enumName: 'TaskStatus', description: 'Only tasks with this status.' })
  @IsEnum(TaskStatus)
  status!: TaskStatus;
}

/** The status comes from the path here; a `status` query parameter is ignored like any unknown one. */
class FilterByStatusQueryDto extends OmitType(ListTasksQueryDto, ['status'] as const) {}

@ApiTags('tasks')
@Controller('tasks')
@ApiTokenAccess()
@ApiCredential('An access token or an API token (a `read` token only on GET: 403 otherwise).')
@ApiForbiddenResponse({ description: 'A `read` API token on a route that writes.', type: ErrorResponse })
export class TasksController {
  constructor(
    private readonly tasksService: TasksService,
    private readonly idempotency: IdempotencyService,
    private readonly changeLog: ChangeLogService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List tasks', description: 'Filters combine with AND; sorted by created_at, then id.' })
  @ApiOkResponse({ type: [TaskResponse], headers: PAGE_HEADERS })
  @ApiInvalidInput()
  async findAll(@Query() query: ListTasksQueryDto, @CurrentAuthor() viewer: TaskAuthor, @Res({ passthrough: true }) res: Response): Promise<TaskResponse[]> {
    return this.sendPage(query, viewer, res);
  }

  @Get('count')
  @ApiOperation({ summary: 'Count tasks', description: 'Takes the filters of GET /tasks; sort, order, skip and limit are ignored.' })
  @ApiOkResponse({ type: TaskCountResponse })
  @ApiInvalidInput()
  async count(@Query() query: ListTasksQueryDto, @CurrentAuthor() viewer: TaskAuthor): Promise<TaskCountResponse> {
    return { total: await this.tasksService.count(query, viewer) };
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Task statistics',
    description: 'Counts by status and priority, and overdue tasks (past due, not done), of the tasks matching the filters of GET /tasks.',
  })
  @ApiOkResponse({ type: TaskStatsResponse })
  @ApiInvalidInput()
  async stats(@Query() query: TaskFiltersDto, @CurrentAuthor() viewer: TaskAuthor): Promise<TaskStatsResponse> {
    const stats = await this.tasksService.stats(query, viewer);
    return { total: stats.total, by_status: stats.byStatus, by_priority: stats.byPriority, overdue: stats.overdue };
  }

  @Get('search')
  @ApiOperation({ summary: 'Search tasks', description: 'Same as GET /tasks (q included); without q it is GET /tasks.' })
  @ApiOkResponse({ type: [TaskResponse], headers: PAGE_HEADERS })
  @ApiInvalidInput()
  async search(@Query() query: ListTasksQueryDto, @CurrentAuthor() viewer: TaskAuthor, @Res({ passthrough: true }) res: Response): Promise<TaskResponse[]> {
    return this.sendPage(query, viewer, res);
  }

  @Get('filter/:status')
  @ApiOperation({ summary: 'List tasks with a status', description: 'Same as GET /tasks?status=...; every other parameter of GET /tasks applies.' })
  @ApiOkResponse({ type: [TaskResponse], headers: PAGE_HEADERS })
  @ApiInvalidInput()
  async filterByStatus(
    @Param() params: FilterByStatusParams,
    @Query() query: FilterByStatusQueryDto,
    @CurrentAuthor() viewer: TaskAuthor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskResponse[]> {
    return this.sendPage({ ...query, status: params.status }, viewer, res);
  }

  @Post()
  @ApiOperation({ summary: 'Create a task' })
  @ApiCreatedResponse({
    type: TaskResponse,
    headers: {
      ...ETAG_HEADER,
      Location: { description: 'Path of the new task.', schema: { type: 'string' } },
      [REPLAYED_HEADER]: { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
    },
  })
  @ApiJsonBody()
  @ApiIdempotencyKey()
  async create(
    @Body() body: CreateTaskDto,
    @CurrentAuthor() author: TaskAuthor,
    @Res({ passthrough: true }) res: Response,
    @Req() req: AuthenticatedRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<TaskResponse> {
    const createTask = async (id?: string) => {
      const task = await this.tasksService.create(toTaskChanges(body), author, id);
      res.setHeader('Location', `/tasks/${task.id}`);
      return this.sendTask(task, res);
    };
    if (idempotencyKey === undefined) return createTask();
    // The task as it was created under a key whose first request died before storing its answer.
    const createdBefore = async (id: string) => {
      const task = await this.changeLog.createdVersion(id);
      if (task === undefined) return undefined;
      res.setHeader('Location', `/tasks/${task.id}`);
      res.setHeader('ETag', taskEtag({ updatedAt: new Date(task.updated_at) }));
      return task;
    };
    const request = { key: idempotencyKey, scope: idempotencyScope(req), body: req.body as unknown, successStatus: HttpStatus.CREATED };
    return this.idempotency.run(request, res, createTask, createdBefore);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a task' })
  @ApiOkResponse({ type: TaskResponse, headers: ETAG_HEADER })
  @ApiTaskId()
  async findOne(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<TaskResponse> {
    return this.sendTask(await this.tasksService.findOne(id), res);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update a task', description: 'Partial: only the fields present change; null clears a nullable field.' })
  @ApiOkResponse({ type: TaskResponse, headers: ETAG_HEADER })
  @ApiTaskId()
  @ApiJsonBody()
  @ApiIfMatch()
  @ApiTaskWriteConflict()
  async update(
    @Param('id') id: string,
    @Body() body: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentAuthor() author: TaskAuthor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskResponse> {
    return this.sendTask(await this.tasksService.update(id, toTaskChanges(body), ifMatch, author), res);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a task (same as PUT)' })
  @ApiOkResponse({ type: TaskResponse, headers: ETAG_HEADER })
  @ApiTaskId()
  @ApiJsonBody()
  @ApiIfMatch()
  @ApiTaskWriteConflict()
  async patch(
    @Param('id') id: string,
    @Body() body: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentAuthor() author: TaskAuthor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TaskResponse> {
    return this.update(id, body, ifMatch, author, res);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiTaskId()
  @ApiIfMatch()
  @ApiTaskWriteConflict()
  async remove(
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentAuthor() author: TaskAuthor,
  ): Promise<void> {
    await this.tasksService.remove(id, ifMatch, author);
  }

  private async sendPage(query: ListTasksQueryDto, viewer: TaskAuthor, res: Response): Promise<TaskResponse[]> {
    const page = await this.tasksService.findAll(query, viewer);
    res.setHeader('X-Total-Count', String(page.total));
    if (page.nextCursor !== null) res.setHeader('X-Next-Cursor', page.nextCursor);
    return page.tasks.map(toTaskResponse);
  }

  private sendTask(task: Task, res: Response): TaskResponse {
    res.setHeader('ETag', taskEtag(task));
    return toTaskResponse(task);
  }
}
