import { ConflictException, Injectable, NotFoundException, PreconditionFailedException, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { namedQuery } from '../database/named-statements';
import { ChangeLogService, changedFields } from '../history/change-log.service';
import { TaskChangeKind } from '../history/task-change.entity';
import { isIssuedId } from '../http/issued-id';
import { parseTaskKey } from '../projects/project-key';
import { Project } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import { TaskChanges } from './dto/create-task.dto';
import { DEFAULT_LIMIT, ListTasksQueryDto, TaskFiltersDto } from './dto/list-tasks-query.dto';
import { TaskResponse, toTaskResponse } from './dto/task-response.dto';
import { TaskAuthor } from './task-author';
import { ifMatchAllows } from './task-etag';
import { decodeTaskCursor } from './task-cursor';
import { TaskWriteHooks } from './task-write-hooks';
import { LabelLookup } from './label-lookup';
import { NumberSource, TaskColumns, TaskWrites, WriteResult } from './task-writes';
import { Task, TaskLabel } from './task.entity';
import { PRIORITY_ORDER, SortOrder, STATUS_ORDER, TaskPriority, TaskSortKey, TaskStatus } from './task.enums';
import {
  countsByStatusAndPriorityStatement,
  cursorAfter,
  overdueStatements,
  PageRelationRows,
  pageCarriesRelations,
  pageRelationStatements,
  SqlDialect,
  SqlStatement,
  taskCountStatement,
  TaskFilters,
  taskFromRow,
  TaskColumnsRow,
  taskPageStatement,
  TaskRow,
  tasksWithRelations,
  TaskRef,
  taskStatement,
  TaskWriteReads,
  TaskWriteRow,
  watcherIdsOf,
} from './tasks.query';

export { countedByCounters } from './tasks.query';

// Each try loses only to a write that succeeded in between, so running out of tries means heavy contention.
const MAX_WRITE_ATTEMPTS = 10;

export interface TaskPage {
  tasks: Task[];
  total: number;
  /** The cursor of the next page, or null when this page is the last. */
  nextCursor: string | null;
}

export interface TaskStats {
  total: number;
  byStatus: Record<TaskStatus, number>;
  byPriority: Record<TaskPriority, number>;
  overdue: number;
}

/** Who is asking, for `assignee_id=me`: the signed-in user's id, or null in AUTH_MODE=off. */
export type Viewer = { id: string } | null;

/** The update time of a new version: now, or one millisecond later than the last one if the clock has not moved. */
export function nextUpdatedAt(previous: Date, now = new Date()): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}

type Total = { total: string | number };

/** A task as a write reads it: with its watchers and its project's archived flag when asked for (TaskWriteReads). */
export interface TaskForWrite {
  task: Task;
  watcherIds?: string[];
  projectArchived?: boolean;
}

/** A task's project, labels and member assignee as a write sets them, checked against the database. */
interface CheckedRelations {
  project?: Project;
  labels?: TaskLabel[];
  assignee?: { id: string; name: string } | null;
}

@Injectable()
export class TasksService {
  private readonly dialect: SqlDialect;
  private readonly writes: TaskWrites;
  private readonly labels: LabelLookup;
  /** Statement text -> name of its prepared statement on PostgreSQL (a fixed set: one per request shape). */

  constructor(
    private readonly changeLog: ChangeLogService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly hooks: TaskWriteHooks,
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    this.writes = new TaskWrites(dataSource);
    this.labels = new LabelLookup(dataSource);
  }

  async findAll(query: ListTasksQueryDto, viewer: Viewer = null): Promise<TaskPage> {
    const filters = await this.resolveFilters(query, viewer);
    const sort = query.sort ?? TaskSortKey.CreatedAt;
    const order = query.order ?? SortOrder.Asc;
    const limit = query.limit ?? DEFAULT_LIMIT;
    // The DTO has checked the cursor; one row more than the page tells whether another page follows.
    const cursor = query.cursor === undefined ? undefined : (decodeTaskCursor(query.cursor) ?? undefined);
    const page = taskPageStatement(this.dialect, { filters, sort, order, skip: query.skip ?? 0, limit: limit + 1, cursor });
    const [rows, total] = await Promise.all([this.read<TaskColumnsRow>(page, filters), this.countResolved(filters)]);
    const tasks = pageCarriesRelations(this.dialect) ? (rows.slice(0, limit) as TaskRow[]).map(taskFromRow) : await this.withRelations(rows.slice(0, limit));
    const nextCursor = rows.length > limit ? cursorAfter(tasks[tasks.length - 1]!, sort, order) : null;
    return { tasks, total, nextCursor };
  }

  /** The page's tasks with their names, project keys, labels and comment counts, each kind read for the whole page at once. */
  private async withRelations(rows: TaskColumnsRow[]): Promise<Task[]> {
    if (rows.length === 0) return [];
    const statements = pageRelationStatements(this.dialect, rows);
    const [users, projects, labels, commentCounts] = await Promise.all([
      statements.users === undefined ? [] : this.read<PageRelationRows['users'][number]>(statements.users),
      this.read<PageRelationRows['projects'][number]>(statements.projects),
      this.read<PageRelationRows['labels'][number]>(statements.labels),
      this.read<PageRelationRows['commentCounts'][number]>(statements.commentCounts),
    ]);
    return tasksWithRelations(rows, { users, projects, labels, commentCounts });
  }

  async count(query: TaskFiltersDto = {}, viewer: Viewer = null): Promise<number> {
    return this.countResolved(await this.resolveFilters(query, viewer));
  }

  private async countResolved(filters: TaskFilters): Promise<number> {
    const [row] = await this.read<Total>(taskCountStatement(this.dialect, filters), filters);
    return Number(row?.total ?? 0);
  }

  async stats(query: TaskFiltersDto = {}, viewer: Viewer = null, now = new Date()): Promise<TaskStats> {
    const filters = await this.resolveFilters(query, viewer);
    const [counts, overdue] = await Promise.all([
      this.read<{ status: TaskStatus; priority: TaskPriority; count: string | number }>(countsByStatusAndPriorityStatement(this.dialect, filters), filters),
      this.countOverdue(now, filters),
    ]);
    const stats: TaskStats = {
      total: 0,
      byStatus: Object.fromEntries(STATUS_ORDER.map((status) => [status, 0])) as Record<TaskStatus, number>,
      byPriority: Object.fromEntries(PRIORITY_ORDER.map((priority) => [priority, 0])) as Record<TaskPriority, number>,
      overdue,
    };
    for (const { status, priority, count } of counts) {
      stats.total += Number(count);
      stats.byStatus[status] += Number(count);
      stats.byPriority[priority] += Number(count);
    }
    return stats;
  }

  private async countOverdue(now: Date, filters: TaskFilters): Promise<number> {
    const totals = await Promise.all(overdueStatements(this.dialect, now, filters).map((statement) => this.read<Total>(statement, filters)));
    return totals.reduce((sum, [row]) => sum + Number(row?.total ?? 0), 0);
  }

  /** The task with this id or key (`TF-12`, any case, old keys of moved tasks included); 404 otherwise. */
  async findOne(idOrKey: string): Promise<Task> {
    return (await this.findForWrite(idOrKey)).task;
  }

  /** The task as findOne reads it, with what a write needs besides, in the same statement; 404 otherwise. */
  async findForWrite(idOrKey: string, reads: TaskWriteReads = {}): Promise<TaskForWrite> {
    const ref = taskRef(idOrKey);
    const [row] = ref === null ? [] : await this.read<TaskWriteRow>(taskStatement(this.dialect, ref, reads));
    if (!row) throw new NotFoundException(`Task ${idOrKey} not found`);
    const found: TaskForWrite = { task: taskFromRow(row) };
    if (reads.watchers) found.watcherIds = watcherIdsOf(row);
    if (reads.projectArchived) found.projectArchived = Boolean(row.project_archived);
    return found;
  }

  /**
   * Runs a read statement. On PostgreSQL it is a named statement (named-statements.ts), parsed once per connection,
   * except with `q`: a plan made for one search word could be a poor one for another.
   */
  private async read<T>(statement: SqlStatement, filters: TaskFilters = {}): Promise<T[]> {
    if (this.dialect === 'sqlite' || filters.q !== undefined) {
      // TypeORM's better-sqlite3 runner keeps the prepared statements of recent texts.
      return this.dataSource.query<T[]>(statement.sql, statement.params);
    }
    return namedQuery<T>(this.dataSource, statement.sql, statement.params);
  }

  /**
   * Every write below is logged in the change log, in the same transaction (task-writes.ts).
   * `id`: one reserved for this creation (by an Idempotency-Key), else a new one.
   */
  async create(changes: TaskChanges, author: TaskAuthor = null, id: string = randomUUID()): Promise<Task> {
    const relations = await this.checkRelations(changes);
    if (relations.project?.archived) throw archivedProject(relations.project);
    const now = new Date();
    const task = {
      status: TaskStatus.Todo,
      priority: TaskPriority.Medium,
      description: null,
      assignee: null,
      dueDate: null,
      searchDescription: null,
      ...entityChanges(changes),
      id,
      createdAt: now,
      updatedAt: now,
      createdById: author?.id ?? null,
      updatedById: author?.id ?? null,
      createdBy: author,
      updatedBy: author,
      // Filled in from the project's counter row by the write.
      projectId: relations.project?.id ?? '',
      projectKey: relations.project?.key ?? '',
      number: 0,
      labels: relations.labels ?? [],
      assigneeId: relations.assignee?.id ?? null,
      assigneeUser: relations.assignee ?? null,
      commentCount: 0,
    } as Task;
    const snapshot = toTaskResponse(task);
    const project: NumberSource = relations.project ? { projectId: relations.project.id } : 'default';
    const { extras } = await this.hooks.effectsOf({ kind: 'created', before: null, after: snapshot, actor: author, at: now });
    const result = await this.writes.create({
      id,
      columns: { id, ...taskColumns(task), created_at: now, created_by_id: task.createdById },
      project,
      labelIds: task.labels!.map((label) => label.id),
      change: { taskId: id, kind: TaskChangeKind.Created, fields: JSON.stringify(changedFields(null, snapshot)), snapshot: JSON.stringify(snapshot), userId: author?.id ?? null, changedAt: now },
      extras,
    });
    if (result.affected !== 1) {
      // The project was archived meanwhile (or, for the default project, cannot be written to).
      throw archivedProject(relations.project ?? (await this.projects.findDefault()));
    }
    this.changeLog.announceWrite({ notifications: extras.some((rows) => rows.table === 'notifications' && rows.rows.length > 0) });
    return Object.assign(task, { projectId: result.numbered!.projectId, number: result.numbered!.number, projectKey: keyPrefix(result.numbered!.key) });
  }

  /**
   * Applies a partial update. The write is conditional on the version that was read, so a concurrent
   * update can neither slip in behind an `If-Match` check nor make `updated_at` go backwards; without
   * `If-Match` a lost race is retried on the newer version (last write wins).
   */
  async update(idOrKey: string, changes: TaskChanges, ifMatch?: string, author: TaskAuthor = null, options: { evenIfArchived?: boolean } = {}): Promise<Task> {
    const relations = await this.checkRelations(changes);
    const reads = { watchers: this.hooks.wantWatchers('updated', changes) };
    return this.writeVersion(idOrKey, ifMatch, options.evenIfArchived ?? false, reads, async ({ task: current, watcherIds }) => {
      const moveTo = relations.project && relations.project.id !== current.projectId ? relations.project : undefined;
      if (moveTo?.archived) throw archivedProject(moveTo);
      const updatedAt = nextUpdatedAt(current.updatedAt);
      const updated: Task = { ...current, ...entityChanges(changes), updatedAt, updatedById: author?.id ?? null, updatedBy: author };
      if (relations.labels) updated.labels = relations.labels;
      if (relations.assignee !== undefined) Object.assign(updated, { assigneeId: relations.assignee?.id ?? null, assigneeUser: relations.assignee });
      if (moveTo) Object.assign(updated, { projectId: moveTo.id, projectKey: moveTo.key, number: 0 });
      const before = toTaskResponse(current);
      const after = toTaskResponse(updated);
      const { extras } = await this.hooks.effectsOf({ kind: 'updated', before, after, actor: author, at: updatedAt, watcherIds });
      const result: WriteResult = await this.writes.update({
        id: current.id,
        version: current.updatedAt,
        set: { ...taskColumns(updated, changes, relations.assignee !== undefined), updated_at: updatedAt, updated_by_id: updated.updatedById },
        moveTo: moveTo?.id,
        labelIds: relations.labels?.map((label) => label.id),
        change: { taskId: current.id, kind: TaskChangeKind.Updated, fields: JSON.stringify(changedFields(before, after)), snapshot: JSON.stringify(after), userId: author?.id ?? null, changedAt: updatedAt },
        evenIfArchived: options.evenIfArchived,
        extras,
      });
      if (result.affected !== 1) return false;
      if (result.numbered) Object.assign(updated, { number: result.numbered.number });
      Object.assign(current, updated);
      return true;
    });
  }

  async remove(idOrKey: string, ifMatch?: string, author: TaskAuthor = null): Promise<void> {
    const reads = { watchers: this.hooks.wantWatchers('deleted', null) };
    await this.writeVersion(idOrKey, ifMatch, false, reads, async ({ task: current, watcherIds }) => {
      const changedAt = new Date();
      const before = toTaskResponse(current);
      const { extras, alsoDeleteFrom } = await this.hooks.effectsOf({ kind: 'deleted', before, after: null, actor: author, at: changedAt, watcherIds });
      const result = await this.writes.remove({
        id: current.id,
        version: current.updatedAt,
        change: { taskId: current.id, kind: TaskChangeKind.Deleted, fields: JSON.stringify(changedFields(before, null)), snapshot: null, userId: author?.id ?? null, changedAt },
        alsoFrom: alsoDeleteFrom,
        extras,
      });
      return result.affected === 1;
    });
  }

  /** Takes a label off every task carrying it, archived projects included: each gets a new version and a change-log entry. */
  async detachLabel(labelId: string, author: TaskAuthor): Promise<void> {
    const placeholder = this.dialect === 'postgres' ? '$1' : '?';
    const rows: Array<{ task_id: string }> = await this.dataSource.query(`SELECT task_id FROM task_labels WHERE label_id = ${placeholder}`, [labelId]);
    for (const { task_id: taskId } of rows) {
      try {
        const task = await this.findOne(taskId);
        const labelIds = (task.labels ?? []).map((label) => label.id).filter((id) => id !== labelId);
        await this.update(taskId, { labelIds }, undefined, author, { evenIfArchived: true });
      } catch (error) {
        // A task deleted meanwhile has nothing left to detach.
        if (!(error instanceof NotFoundException)) throw error;
      }
    }
  }

  /**
   * Reads the current version (with `reads`, in the same statement), checks `If-Match` against it, and runs a
   * write conditional on it.
   */
  private async writeVersion(
    idOrKey: string,
    ifMatch: string | undefined,
    evenIfArchived: boolean,
    reads: TaskWriteReads,
    writeIfUnchanged: (current: TaskForWrite) => Promise<boolean>,
  ): Promise<Task> {
    for (let attempt = 1; ; attempt++) {
      const read = await this.findForWrite(idOrKey, reads);
      const current = read.task;
      if (!ifMatchAllows(ifMatch, current)) {
        throw new PreconditionFailedException(`Task ${idOrKey} has changed since the version named in If-Match`);
      }
      if (await writeIfUnchanged(read)) {
        this.changeLog.announceWrite();
        return current;
      }
      if (!evenIfArchived) {
        const project = await this.projects.findOne(current.projectId);
        if (project.archived) throw archivedProject(project);
      }
      if (attempt === MAX_WRITE_ATTEMPTS) {
        throw new ConflictException(`Task ${idOrKey} is being changed by other requests; try again`);
      }
    }
  }

  /** The project, labels and member assignee a body names, checked: 422 for an unknown one. */
  private async checkRelations(changes: TaskChanges): Promise<CheckedRelations> {
    const relations: CheckedRelations = {};
    if (changes.projectRef !== undefined) relations.project = await this.projects.resolveForTasks(changes.projectRef);
    if (changes.labelIds !== undefined) relations.labels = await this.findLabels(changes.labelIds, 'label_ids');
    if (changes.assigneeRef !== undefined && this.config.authMode === 'required') relations.assignee = await this.findAssignee(changes.assigneeRef);
    return relations;
  }

  /** The labels with these ids, ordered by name; 422 when one does not exist. */
  private async findLabels(ids: string[], field: string): Promise<TaskLabel[]> {
    if (ids.length === 0) return [];
    const labels = ids.every(isIssuedId) ? await this.labels.find(ids) : undefined;
    if (!labels) throw new UnprocessableEntityException([`${field} must name existing labels`]);
    return labels;
  }

  /** After a label is created, renamed, recoloured or deleted on this instance. */
  forgetLabels(): void {
    this.labels.forget();
  }

  /** An enabled member for `assignee_id`, or null to unassign; 422 otherwise. */
  private async findAssignee(ref: unknown): Promise<{ id: string; name: string } | null> {
    if (ref === null) return null;
    const placeholder = this.dialect === 'postgres' ? '$1' : '?';
    const [user]: Array<{ id: string; name: string }> =
      typeof ref === 'string' && isIssuedId(ref)
        ? await this.dataSource.query(`SELECT id, name FROM users WHERE id = ${placeholder} AND disabled = ${this.dialect === 'postgres' ? 'FALSE' : '0'}`, [ref])
        : [];
    if (!user) throw new UnprocessableEntityException(['assignee_id must be the id of an enabled user, or null']);
    return user;
  }

  /** The DTO's filters with the project, labels and member assignee checked and resolved. */
  private async resolveFilters(query: TaskFiltersDto, viewer: Viewer): Promise<TaskFilters> {
    const { project_id: projectRef, label_ids: labelList, assignee_id: assigneeRef, ...filters } = query;
    const resolved: TaskFilters = { ...filters };
    if (projectRef !== undefined) resolved.projectId = (await this.projects.resolveForTasks(projectRef)).id;
    if (labelList !== undefined) {
      const ids = [...new Set(labelList.split(','))];
      resolved.labelIds = (await this.findLabels(ids, 'label_ids')).map((label) => label.id).sort();
    }
    if (assigneeRef !== undefined && this.config.authMode === 'required') {
      if (assigneeRef === 'me' && viewer) resolved.assigneeId = viewer.id;
      else if (assigneeRef === 'none') resolved.assigneeId = null;
      else if (typeof assigneeRef === 'string' && isIssuedId(assigneeRef)) resolved.assigneeId = assigneeRef;
      else throw new UnprocessableEntityException(['assignee_id must be me, none or a user id']);
    }
    return resolved;
  }
}

/** The entity fields of a body, without the relations TasksService checks itself. */
function entityChanges(changes: TaskChanges): Partial<Task> {
  const { projectRef: _project, labelIds: _labels, assigneeRef: _assignee, ...fields } = changes;
  return fields;
}

/** The columns a write sets, by their names in the table: every own field of a creation, or what an update changes. */
function taskColumns(task: Task, changes?: TaskChanges, assigneeChanged = false): TaskColumns {
  const all: TaskColumns = {
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    assignee: task.assignee,
    due_date: task.dueDate,
    search_title: task.searchTitle,
    search_description: task.searchDescription,
    assignee_id: task.assigneeId,
    updated_at: task.updatedAt,
    updated_by_id: task.updatedById,
  };
  if (!changes) return all;
  const changed: Record<string, unknown> = {};
  const fields: Array<[keyof TaskChanges, string[]]> = [
    ['title', ['title', 'search_title']],
    ['description', ['description', 'search_description']],
    ['status', ['status']],
    ['priority', ['priority']],
    ['assignee', ['assignee']],
    ['dueDate', ['due_date']],
  ];
  for (const [field, columns] of fields) if (changes[field] !== undefined) for (const column of columns) changed[column] = all[column];
  if (assigneeChanged) changed.assignee_id = all.assignee_id;
  return changed;
}

/** How the task statement finds a task: by id, or by a key (any case); null when `idOrKey` can name no task. */
function taskRef(idOrKey: string): TaskRef | null {
  if (isIssuedId(idOrKey)) return { id: idOrKey };
  return parseTaskKey(idOrKey);
}

function keyPrefix(key: string): string {
  return key.slice(0, key.lastIndexOf('-'));
}

function archivedProject(project: Project): ConflictException {
  return new ConflictException(`Project ${project.key} is archived: its tasks cannot be created, changed or deleted, nor tasks moved into it`);
}

export type { TaskResponse };
