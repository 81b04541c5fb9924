import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { inTransaction } from '../database/transaction';
import { isIssuedId } from '../http/issued-id';
import { CreateProjectDto, UpdateProjectDto } from './dto/project.dto';
import { normalizeProjectKey, parseTaskKey, PROJECT_KEY } from './project-key';
import { Project } from './project.entity';

export interface ProjectWithCount {
  project: Project;
  taskCount: number;
}

@Injectable()
export class ProjectsService {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async findAll(includeArchived: boolean): Promise<ProjectWithCount[]> {
    const projects = await this.projects.find({ where: includeArchived ? {} : { archived: false }, order: { name: 'ASC', key: 'ASC' } });
    const counts = await this.taskCounts();
    return projects.map((project) => ({ project, taskCount: counts.get(project.id) ?? 0 }));
  }

  /** By id or key (any case); 404 otherwise. */
  async findOne(idOrKey: string): Promise<Project> {
    const project = await this.find(idOrKey);
    if (!project) throw new NotFoundException(`Project ${idOrKey} not found`);
    return project;
  }

  async withCount(project: Project): Promise<ProjectWithCount> {
    return { project, taskCount: (await this.taskCounts(project.id)).get(project.id) ?? 0 };
  }

  /** The project a task body or a filter names (id or key, any case); 422 when there is none. */
  async resolveForTasks(idOrKey: string, field = 'project_id'): Promise<Project> {
    const project = await this.find(idOrKey);
    if (!project) throw new UnprocessableEntityException([`${field} must be the id or key of an existing project`]);
    return project;
  }

  /**
   * The id of the task with this id or key (`TF-12`, any case, or an old key of a moved task), or null when
   * there is none. Ids are not looked up: the task read that follows finds them or not.
   */
  async resolveTaskId(idOrKey: string): Promise<string | null> {
    if (isIssuedId(idOrKey)) return idOrKey;
    const key = parseTaskKey(idOrKey);
    if (!key) return null;
    const [row] = await this.dataSource.query<Array<{ task_id: string }>>(
      `SELECT k.task_id FROM task_keys k JOIN projects p ON p.id = k.project_id WHERE p.key = ${this.placeholder(1)} AND k.number = ${this.placeholder(2)}`,
      [key.projectKey, key.number],
    );
    return row?.task_id ?? null;
  }

  async findDefault(): Promise<Project> {
    return this.projects.findOneByOrFail({ isDefault: true });
  }

  async create(body: CreateProjectDto): Promise<Project> {
    const now = new Date();
    const project = this.projects.create({
      id: randomUUID(),
      key: body.key,
      name: body.name,
      description: body.description ?? null,
      isDefault: false,
      archived: false,
      nextNumber: 1,
      createdAt: now,
      updatedAt: now,
    });
    if (await this.projects.existsBy({ key: body.key })) throw keyTaken(body.key);
    try {
      await this.projects.insert(project);
    } catch (error) {
      if (isUniqueViolation(error)) throw keyTaken(body.key);
      throw error;
    }
    return project;
  }

  async update(idOrKey: string, body: UpdateProjectDto): Promise<Project> {
    const project = await this.findOne(idOrKey);
    if (body.key !== undefined && body.key !== project.key) {
      throw new UnprocessableEntityException(['key cannot change once the project is created']);
    }
    const archived = body.archived ?? project.archived;
    if (archived && (project.isDefault || body.default === true)) {
      throw new ConflictException('The default project cannot be archived: make another project the default first');
    }
    const changes: Partial<Project> = { updatedAt: new Date(Math.max(Date.now(), project.updatedAt.getTime() + 1)) };
    if (body.name !== undefined) changes.name = body.name;
    if (body.description !== undefined) changes.description = body.description;
    if (body.archived !== undefined) changes.archived = body.archived;
    await inTransaction(this.dataSource, async (manager) => {
      if (body.default === true && !project.isDefault) {
        // The unique index on is_default allows one default at a time: clear the old one first.
        await manager.update(Project, { isDefault: true }, { isDefault: false });
        changes.isDefault = true;
      }
      await manager.update(Project, { id: project.id }, changes);
    });
    return Object.assign(project, changes);
  }

  /** Deletes an empty project other than the default; its key is free again and old task keys into it stop resolving. */
  async remove(idOrKey: string): Promise<void> {
    const project = await this.findOne(idOrKey);
    if (project.isDefault) throw new ConflictException('The default project cannot be deleted');
    await inTransaction(this.dataSource, async (manager) => {
      const [holdsTasks] = await manager.query(`SELECT 1 AS one FROM tasks WHERE project_id = ${this.placeholder(1)} LIMIT 1`, [project.id]);
      if (holdsTasks) throw new ConflictException(`Project ${project.key} holds tasks: move or delete them first`);
      await manager.query(`DELETE FROM task_keys WHERE project_id = ${this.placeholder(1)}`, [project.id]);
      await manager.delete(Project, { id: project.id });
    });
  }

  private async find(idOrKey: string): Promise<Project | null> {
    if (isIssuedId(idOrKey)) return this.projects.findOneBy({ id: idOrKey });
    const key = normalizeProjectKey(idOrKey);
    return PROJECT_KEY.test(key) ? this.projects.findOneBy({ key }) : null;
  }

  /** Tasks per project, from the counters the database keeps. */
  private async taskCounts(projectId?: string): Promise<Map<string, number>> {
    const rows: Array<{ project_id: string; total: string | number }> = await this.dataSource.query(
      `SELECT project_id, SUM(count) AS total FROM task_counts${projectId ? ` WHERE project_id = ${this.placeholder(1)}` : ''} GROUP BY project_id`,
      projectId ? [projectId] : [],
    );
    return new Map(rows.map((row) => [row.project_id, Number(row.total)]));
  }

  private placeholder(n: number): string {
    return this.dataSource.options.type === 'postgres' ? `$${n}` : '?';
  }
}

function keyTaken(key: string): ConflictException {
  return new ConflictException(`A project with the key ${key} already exists`);
}
