import { applyDecorators, Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly, ApiTokenAccess, CurrentAuthor } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import { ErrorResponse } from '../http/error-response';
import { ApiJsonBody } from '../tasks/tasks.api-docs';
import { TaskAuthor } from '../tasks/task-author';
import { CreateLabelDto, LabelResponse, toLabelResponse, UpdateLabelDto } from './dto/label.dto';
import { LabelsService } from './labels.service';

function ApiLabelId(): MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'id', description: "The label's id.", format: 'uuid' }),
    ApiNotFoundResponse({ description: 'No label has this id.', type: ErrorResponse }),
  );
}

/** Labels tag tasks across projects; members create and edit them, admins delete them (anyone in AUTH_MODE=off). */
@ApiTags('labels')
@Controller('labels')
@ApiTokenAccess()
@ApiCredential('An access token or an API token (a `read` token only on GET: 403 otherwise).')
@ApiForbiddenResponse({ description: 'A `read` API token on a route that writes, or a member deleting a label.', type: ErrorResponse })
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Get()
  @ApiOperation({ summary: 'List labels', description: 'Ordered by name.' })
  @ApiOkResponse({ type: [LabelResponse] })
  async findAll(): Promise<LabelResponse[]> {
    return (await this.labels.findAll()).map(({ label, taskCount }) => toLabelResponse(label, taskCount));
  }

  @Post()
  @ApiOperation({ summary: 'Create a label' })
  @ApiCreatedResponse({ type: LabelResponse, headers: { Location: { description: 'Path of the new label.', schema: { type: 'string' } } } })
  @ApiConflictResponse({ description: 'A label with this name (whatever the case) exists.', type: ErrorResponse })
  @ApiJsonBody()
  async create(@Body() body: CreateLabelDto, @Res({ passthrough: true }) res: Response): Promise<LabelResponse> {
    const label = await this.labels.create(body);
    res.setHeader('Location', `/labels/${label.id}`);
    return toLabelResponse(label, 0);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename or recolour a label', description: "Tasks carrying it keep their version (ETag): a label's name and colour are not part of it." })
  @ApiOkResponse({ type: LabelResponse })
  @ApiLabelId()
  @ApiConflictResponse({ description: 'Another label has this name (whatever the case).', type: ErrorResponse })
  @ApiJsonBody()
  async update(@Param('id') id: string, @Body() body: UpdateLabelDto): Promise<LabelResponse> {
    const { label, taskCount } = await this.labels.withCount(await this.labels.update(id, body));
    return toLabelResponse(label, taskCount);
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a label (admins)',
    description: 'The label leaves every task that carried it; each such task gets a new updated_at and a change-log entry.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiLabelId()
  async remove(@Param('id') id: string, @CurrentAuthor() author: TaskAuthor): Promise<void> {
    await this.labels.remove(id, author);
  }
}
