import { ConflictException, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { CannotExecuteNotConnectedError, DataSource, Repository } from 'typeorm';
import { ChangeLogService } from '../history/change-log.service';
import { BuiltStatement } from '../history/change-log-writer';
import { TaskChangeKind } from '../history/task-change.entity';
import { announceQuery } from '../database/query-events';
import { isIssuedId } from '../issued-id';
import { TaskChanges } from './dto/create-task.dto';
import { DEFAULT_LIMIT, ListTasksQueryDto, TaskFiltersDto } from './dto/list-tasks-query.dto';
import { toTaskResponse } from './dto/task-response.dto';
import { TaskAuthor } from './task-author';
import { ifMatchAllows } from './task-etag';
import { decodeTaskCursor } from './task-cursor';
import { Task } from './task.entity';
import { PRIORITY_ORDER, SortOrder, STATUS_ORDER, TaskPriority, TaskSortKey, TaskStatus } from './task.enums';
import {
  COUNTS_BY_STATUS_AND_PRIORITY,
  cursorAfter,
  overdueStatements,
  SqlDialect,
  SqlStatement,
  taskByIdStatement,
  taskCountStatement,
  taskFromRow,
  taskPageStatement,
  TaskRow,
} from './tasks.query';

export { countedByStatusAndPriority } from './tasks.query';

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

/** The update time of a new version: now, or one millisecond later than the last one if the clock has not moved. */
export function nextUpdatedAt(previous: Date, now = new Date()): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}

/** The pg pool TypeORM's PostgreSQL driver keeps as `master`, which runs named (prepared) statements. */
interface PreparingPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

type Total = { total: string | number };

@Injectable()
export class TasksService {
  private readonly dialect: SqlDialect;
  /** Statement text -> name of its prepared statement on PostgreSQL (a fixed set: one per request shape). */
  private readonly statementNames = new Map<string, string>();

  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly changeLog: ChangeLogService,
    private readonly dataSource: DataSource,
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  async findAll(query: ListTasksQueryDto): Promise<TaskPage> {
    const sort = query.sort ?? TaskSortKey.CreatedAt;
    const order = query.order ?? SortOrder.Asc;
    const limit = query.limit ?? DEFAULT_LIMIT;
    // The DTO has checked the cursor; one row more than the page tells whether another page follows.
    const cursor = query.cursor === undefined ? undefined : (decodeTaskCursor(query.cursor) ?? undefined);
    const page = taskPageStatement(this.dialect, { filters: query, sort, order, skip: query.skip ?? 0, limit: limit + 1, cursor });
    const [rows, total] = await Promise.all([this.read<TaskRow>(page, query), this.count(query)]);
    const tasks = rows.slice(0, limit).map(taskFromRow);
    const nextCursor = rows.length > limit ? cursorAfter(tasks[tasks.length - 1]!, sort, order) : null;
    return { tasks, total, nextCursor };
  }

  async count(filters: TaskFiltersDto): Promise<number> {
    const [row] = await this.read<Total>(taskCountStatement(this.dialect, filters), filters);
    return Number(row?.total ?? 0);
  }

  async stats(now = new Date()): Promise<TaskStats> {
    const [counts, overdue] = await Promise.all([
      this.read<{ status: TaskStatus; priority: TaskPriority; count: string | number }>({ sql: COUNTS_BY_STATUS_AND_PRIORITY, params: [] }),
      this.countOverdue(now),
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

  /** Open tasks due before `now`: whole days from the task_due_days counters, today's from the index. */
  private async countOverdue(now: Date): Promise<number> {
    const [pastDays, earlierToday] = await Promise.all(overdueStatements(this.dialect, now).map((statement) => this.read<Total>(statement)));
    return Number(pastDays[0]?.total ?? 0) + Number(earlierToday[0]?.total ?? 0);
  }

  async findOne(id: string): Promise<Task> {
    const [row] = isIssuedId(id) ? await this.read<TaskRow>(taskByIdStatement(this.dialect, id)) : [];
    if (!row) throw new NotFoundException(`Task ${id} not found`);
    return taskFromRow(row);
  }

  /**
   * Runs a read statement. On PostgreSQL it is a named statement, parsed and planned once per connection,
   * except with `q`: a plan made for one search word could be a poor one for another.
   */
  private async read<T>(statement: SqlStatement, filters: TaskFiltersDto = {}): Promise<T[]> {
    if (this.dialect === 'sqlite' || filters.q !== undefined) {
      // TypeORM's better-sqlite3 runner keeps the prepared statements of recent texts.
      return this.dataSource.query<T[]>(statement.sql, statement.params);
    }
    let name = this.statementNames.get(statement.sql);
    if (name === undefined) {
      name = `tasks_read_${this.statementNames.size}`;
      this.statementNames.set(statement.sql, name);
    }
    // After the data source is closed (shutdown) the pool is gone: the error TypeORM gives, answered 503.
    if (!this.dataSource.isInitialized) throw new CannotExecuteNotConnectedError();
    const pool = (this.dataSource.driver as unknown as { master: PreparingPool }).master;
    const startedAt = performance.now();
    try {
      const { rows } = await pool.query({ name, text: statement.sql, values: statement.params });
      announceQuery(this.dataSource, statement.sql, startedAt);
      return rows as T[];
    } catch (error) {
      announceQuery(this.dataSource, statement.sql, startedAt, error);
      throw error;
    }
  }

  /**
   * Every write below is logged in the change log, in the same transaction (ChangeLogService.write).
   * `id`: one reserved for this creation (by an Idempotency-Key), else a new one.
   */
  async create(changes: TaskChanges, author: TaskAuthor = null, id: string = randomUUID()): Promise<Task> {
    const now = new Date();
    const task = this.tasks.create({
      status: TaskStatus.Todo,
      priority: TaskPriority.Medium,
      description: null,
      assignee: null,
      dueDate: null,
      searchDescription: null,
      ...changes,
      id,
      createdAt: now,
      updatedAt: now,
      createdById: author?.id ?? null,
      updatedById: author?.id ?? null,
    });
    const insert = this.tasks.createQueryBuilder().insert().into(Task).values(task);
    const created = Object.assign(task, { createdBy: author, updatedBy: author });
    await this.changeLog.write(statementOf(insert), TaskChangeKind.Created, task.id, null, toTaskResponse(created), author, now);
    return created;
  }

  /**
   * Applies a partial update. The write is conditional on the version that was read, so a concurrent
   * update can neither slip in behind an `If-Match` check nor make `updated_at` go backwards; without
   * `If-Match` a lost race is retried on the newer version (last write wins).
   */
  async update(id: string, changes: TaskChanges, ifMatch?: string, author: TaskAuthor = null): Promise<Task> {
    return this.writeVersion(id, ifMatch, async (current) => {
      const updatedAt = nextUpdatedAt(current.updatedAt);
      const update = this.tasks
        .createQueryBuilder()
        .update(Task)
        .set({ ...changes, updatedAt, updatedById: author?.id ?? null })
        .where('id = :id AND updated_at = :version', { id, version: current.updatedAt });
      const updated = Object.assign(this.tasks.create(current), changes, { updatedAt, updatedById: author?.id ?? null, updatedBy: author });
      const before = toTaskResponse(current);
      const affected = await this.changeLog.write(statementOf(update), TaskChangeKind.Updated, id, before, toTaskResponse(updated), author, updatedAt);
      if (affected !== 1) return false;
      Object.assign(current, updated);
      return true;
    });
  }

  async remove(id: string, ifMatch?: string, author: TaskAuthor = null): Promise<void> {
    await this.writeVersion(id, ifMatch, async (current) => {
      const removal = this.tasks
        .createQueryBuilder()
        .delete()
        .from(Task)
        .where('id = :id AND updated_at = :version', { id, version: current.updatedAt });
      const affected = await this.changeLog.write(statementOf(removal), TaskChangeKind.Deleted, id, toTaskResponse(current), null, author, new Date());
      return affected === 1;
    });
  }

  /** Reads the current version, checks `If-Match` against it, and runs a write conditional on it. */
  private async writeVersion(
    id: string,
    ifMatch: string | undefined,
    writeIfUnchanged: (current: Task) => Promise<boolean>,
  ): Promise<Task> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.findOne(id);
      if (!ifMatchAllows(ifMatch, current)) {
        throw new PreconditionFailedException(`Task ${id} has changed since the version named in If-Match`);
      }
      if (await writeIfUnchanged(current)) return current;
      if (attempt === MAX_WRITE_ATTEMPTS) {
        throw new ConflictException(`Task ${id} is being changed by other requests; try again`);
      }
    }
  }
}

/** The SQL and parameters TypeORM built, for ChangeLogService to run in its transaction. */
function statementOf(query: { getQueryAndParameters(): [string, unknown[]] }): BuiltStatement {
  const [sql, parameters] = query.getQueryAndParameters();
  return { sql, parameters };
}
