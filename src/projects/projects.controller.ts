import { applyDecorators, Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly, ApiTokenAccess } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import { ErrorResponse } from '../http/error-response';
import { ApiInvalidInput, ApiJsonBody } from '../tasks/tasks.api-docs';
import { CreateProjectDto, ListProjectsQueryDto, ProjectResponse, toProjectResponse, UpdateProjectDto } from './dto/project.dto';
import { ProjectsService } from './projects.service';

function ApiProjectId(): MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'idOrKey', description: "The project's id or key (any case)." }),
    ApiNotFoundResponse({ description: 'No project has this id or key.', type: ErrorResponse }),
  );
}

/** Projects group tasks; every member sees every project, admins manage them (anyone in AUTH_MODE=off). */
@ApiTags('projects')
@Controller('projects')
@ApiTokenAccess()
@ApiCredential('An access token or an API token (a `read` token only on GET: 403 otherwise).')
@ApiForbiddenResponse({ description: 'A `read` API token on a route that writes, or a member on an admin route.', type: ErrorResponse })
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiOperation({ summary: 'List projects', description: 'Ordered by name; archived projects only with include_archived=true.' })
  @ApiOkResponse({ type: [ProjectResponse] })
  @ApiInvalidInput()
  async findAll(@Query() query: ListProjectsQueryDto): Promise<ProjectResponse[]> {
    const projects = await this.projects.findAll(query.include_archived === 'true');
    return projects.map(({ project, taskCount }) => toProjectResponse(project, taskCount));
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create a project (admins)' })
  @ApiCreatedResponse({ type: ProjectResponse, headers: { Location: { description: 'Path of the new project.', schema: { type: 'string' } } } })
  @ApiConflictResponse({ description: 'Another project has this key.', type: ErrorResponse })
  @ApiJsonBody()
  async create(@Body() body: CreateProjectDto, @Res({ passthrough: true }) res: Response): Promise<ProjectResponse> {
    const project = await this.projects.create(body);
    res.setHeader('Location', `/projects/${project.id}`);
    return toProjectResponse(project, 0);
  }

  @Get(':idOrKey')
  @ApiOperation({ summary: 'Get a project' })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiProjectId()
  async findOne(@Param('idOrKey') idOrKey: string): Promise<ProjectResponse> {
    const { project, taskCount } = await this.projects.withCount(await this.projects.findOne(idOrKey));
    return toProjectResponse(project, taskCount);
  }

  @Patch(':idOrKey')
  @AdminOnly()
  @ApiOperation({
    summary: 'Rename, describe, archive or make default (admins)',
    description: 'The default project cannot be archived, and an archived project cannot become the default (409).',
  })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiProjectId()
  @ApiConflictResponse({ description: 'Archiving the default project, or making an archived one the default.', type: ErrorResponse })
  @ApiJsonBody()
  async update(@Param('idOrKey') idOrKey: string, @Body() body: UpdateProjectDto): Promise<ProjectResponse> {
    const { project, taskCount } = await this.projects.withCount(await this.projects.update(idOrKey, body));
    return toProjectResponse(project, taskCount);
  }

  @Delete(':idOrKey')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an empty project (admins)', description: 'Its key becomes free; old task keys that pointed into it stop resolving.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProjectId()
  @ApiConflictResponse({ description: 'The project holds tasks, or is the default.', type: ErrorResponse })
  async remove(@Param('idOrKey') idOrKey: string): Promise<void> {
    await this.projects.remove(idOrKey);
  }
}
