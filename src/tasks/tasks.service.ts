import { ConflictException, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ChangeLogService } from '../history/change-log.service';
import { BuiltStatement } from '../history/change-log-writer';
import { TaskChangeKind } from '../history/task-change.entity';
import { isIssuedId } from '../issued-id';
import { TaskChanges } from './dto/create-task.dto';
import { DEFAULT_LIMIT, ListTasksQueryDto, TaskFiltersDto } from './dto/list-tasks-query.dto';
import { toTaskResponse } from './dto/task-response.dto';
import { TaskAuthor } from './task-author';
import { ifMatchAllows } from './task-etag';
import { TaskCount } from './task-count.entity';
import { TaskDueDay } from './task-due-day.entity';
import { Task } from './task.entity';
import { PRIORITY_ORDER, STATUS_ORDER, TaskPriority, TaskStatus } from './task.enums';
import { applyFilters, applySort, TASK_ALIAS, withAuthors } from './tasks.query';

// Each try loses only to a write that succeeded in between, so running out of tries means heavy contention.
const MAX_WRITE_ATTEMPTS = 10;


export interface TaskPage {
  tasks: Task[];
  total: number;
}

export interface TaskStats {
  total: number;
  byStatus: Record<TaskStatus, number>;
  byPriority: Record<TaskPriority, number>;
  overdue: number;
}

/** Whether the task_counts table answers this count: no filter other than status and priority. */
export function countedByStatusAndPriority(filters: TaskFiltersDto): boolean {
  return [filters.assignee, filters.q, filters.due_before, filters.due_after].every((value) => value === undefined);
}

/** The update time of a new version: now, or one millisecond later than the last one if the clock has not moved. */
export function nextUpdatedAt(previous: Date, now = new Date()): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}

@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    @InjectRepository(TaskCount) private readonly counts: Repository<TaskCount>,
    @InjectRepository(TaskDueDay) private readonly dueDays: Repository<TaskDueDay>,
    private readonly changeLog: ChangeLogService,
  ) {}

  async findAll(query: ListTasksQueryDto): Promise<TaskPage> {
    const page = applySort(applyFilters(withAuthors(this.tasks.createQueryBuilder(TASK_ALIAS)), query), query.sort, query.order)
      .offset(query.skip ?? 0)
      .limit(query.limit ?? DEFAULT_LIMIT);
    const [tasks, total] = await Promise.all([page.getMany(), this.count(query)]);
    return { tasks, total };
  }

  async count(filters: TaskFiltersDto): Promise<number> {
    if (countedByStatusAndPriority(filters)) {
      const query = this.counts.createQueryBuilder('counts').select('COALESCE(SUM(counts.count), 0)', 'total');
      if (filters.status !== undefined) query.andWhere('counts.status = :status', { status: filters.status });
      if (filters.priority !== undefined) query.andWhere('counts.priority = :priority', { priority: filters.priority });
      const row = await query.getRawOne<{ total: string | number }>();
      return Number(row?.total ?? 0);
    }
    // COUNT(*) rather than getCount(), whose COUNT(DISTINCT id) is slower on large tables.
    const row = await applyFilters(this.tasks.createQueryBuilder(TASK_ALIAS), filters)
      .select('COUNT(*)', 'total')
      .getRawOne<{ total: string | number }>();
    return Number(row?.total ?? 0);
  }

  async stats(now = new Date()): Promise<TaskStats> {
    const [counts, overdue] = await Promise.all([this.counts.find(), this.countOverdue(now)]);
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
    const today = now.toISOString().slice(0, 10);
    const [pastDays, earlierToday] = await Promise.all([
      this.dueDays
        .createQueryBuilder('days')
        .select('COALESCE(SUM(days.count), 0)', 'total')
        .where('days.day < :today', { today })
        .getRawOne<{ total: string | number }>(),
      this.tasks
        .createQueryBuilder(TASK_ALIAS)
        .select('COUNT(*)', 'total')
        .where(`${TASK_ALIAS}.dueDate >= :startOfToday`, { startOfToday: new Date(`${today}T00:00:00.000Z`) })
        .andWhere(`${TASK_ALIAS}.dueDate < :now`, { now })
        .andWhere(`${TASK_ALIAS}.status <> :done`, { done: TaskStatus.Done })
        .getRawOne<{ total: string | number }>(),
    ]);
    return Number(pastDays?.total ?? 0) + Number(earlierToday?.total ?? 0);
  }

  async findOne(id: string): Promise<Task> {
    const task = isIssuedId(id)
      ? await withAuthors(this.tasks.createQueryBuilder(TASK_ALIAS)).where(`${TASK_ALIAS}.id = :id`, { id }).getOne()
      : null;
    if (!task) throw new NotFoundException(`Task ${id} not found`);
    return task;
  }

  /** Every write below is logged in the change log, in the same transaction (ChangeLogService.write). */
  async create(changes: TaskChanges, author: TaskAuthor = null): Promise<Task> {
    const now = new Date();
    const task = this.tasks.create({
      status: TaskStatus.Todo,
      priority: TaskPriority.Medium,
      description: null,
      assignee: null,
      dueDate: null,
      searchDescription: null,
      ...changes,
      id: randomUUID(),
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
