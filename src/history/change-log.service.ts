import { GoneException, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, LessThan, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TaskResponse } from '../tasks/dto/task-response.dto';
import type { CommentResponse } from '../comments/dto/comment.dto';
import { User } from '../users/user.entity';
import { ChangeLogState } from './change-log-state.entity';
import { FieldChange, TaskChangeResponse } from './dto/task-change-response.dto';
import { TaskChange, TaskChangeKind } from './task-change.entity';

/** The task fields whose changes the log records, in wire form (`label_ids`: the sorted ids of `labels`). */
export const LOGGED_FIELDS = ['title', 'description', 'status', 'priority', 'assignee', 'due_date', 'project_id', 'label_ids', 'assignee_id'] as const;
type LoggedField = (typeof LOGGED_FIELDS)[number];
type LoggedValue = string | string[] | null;

/** A logged field's wire value; null for fields a snapshot from before they existed lacks. */
function loggedValue(task: TaskResponse, field: LoggedField): LoggedValue {
  if (field === 'label_ids') return task.labels ? task.labels.map((label) => label.id).sort() : null;
  return task[field] ?? null;
}

function isEmptyList(value: LoggedValue): boolean {
  return Array.isArray(value) && value.length === 0;
}

function sameValue(a: LoggedValue, b: LoggedValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, index) => value === b[index]);
  return a === b;
}

/**
 * PostgreSQL hands out sequence numbers before commit, so a change may become visible just after a
 * later one. A gap in the log is waited for while another transaction is writing to the log (it may
 * be the one that fills it) and for at most this long (a write that failed leaves a gap for good).
 * SQLite commits one write at a time, in sequence order: it never waits.
 */
export const GAP_WAIT_MS = 3_000;

const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
// Small batches keep each DELETE short, so that pruning never holds writes up for long.
const PRUNE_BATCH = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a logged write may have created besides its change-log entry. */
export interface LoggedWrite {
  notifications: boolean;
}

export interface ChangesAfter {
  changes: TaskChangeResponse[];
  nextCursor: string;
  hasMore: boolean;
}

@Injectable()
export class ChangeLogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeLog');
  private pruneTimer: NodeJS.Timeout | undefined;
  private readonly writeListeners = new Set<(write: LoggedWrite) => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(TaskChange) private readonly changes: Repository<TaskChange>,
    @InjectRepository(ChangeLogState) private readonly state: Repository<ChangeLogState>,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => void this.prune().catch((error: unknown) => this.logger.warn(`Pruning failed: ${String(error)}`)), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }

  /**
   * Tells the listeners that a change was logged (TasksService's writes log their own, see task-writes.ts);
   * `notifications: false` when the write created none, so that nobody reads the notifications for it.
   */
  announceWrite(write: LoggedWrite = { notifications: true }): void {
    for (const listener of this.writeListeners) listener(write);
  }

  /** Calls `listener` after each change this instance logs (other instances' arrive by NOTIFY). */
  onChangeLogged(listener: (write: LoggedWrite) => void): void {
    this.writeListeners.add(listener);
  }

  /** A task's changes, newest first; still readable once the task is deleted. */
  async history(taskId: string, skip: number, limit: number): Promise<{ changes: TaskChangeResponse[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.withUsers().where('change.taskId = :taskId', { taskId }).orderBy('change.seq', 'DESC').offset(skip).limit(limit).getRawMany<RawChange>(),
      this.changes.countBy({ taskId }),
    ]);
    return { changes: rows.map(toChangeResponse), total };
  }

  /**
   * The changes after `since`, oldest first. Stops before a gap that may still fill (see GAP_WAIT_MS),
   * so that a client never skips a change. A cursor older than what retention kept gets 410.
   */
  async after(since: bigint, limit: number, now = Date.now()): Promise<ChangesAfter> {
    await this.assertKept(since);
    return this.readAfter(since, limit, now);
  }

  /**
   * The same as `after` for a reader whose cursor comes from the log itself and that reads at least every few
   * seconds (ChangeFeed): the cursor is checked (two more queries) only when nothing follows it, since a
   * cursor pruned past or ahead of the log (a restored database) can only show as an empty read.
   */
  async afterOwnCursor(since: bigint, limit: number, now = Date.now()): Promise<ChangesAfter> {
    const page = await this.readAfter(since, limit, now);
    if (page.changes.length === 0 && !page.hasMore) await this.assertKept(since);
    return page;
  }

  private async readAfter(since: bigint, limit: number, now: number): Promise<ChangesAfter> {
    const read = () =>
      this.withUsers()
        .where('change.seq > :since', { since: since.toString() })
        .orderBy('change.seq', 'ASC')
        .limit(limit + 1)
        .getRawMany<RawChange>();
    const { rows, withheld } = await this.withoutOpenGaps(await read(), since, now, read);
    const changes = rows.slice(0, limit).map(toChangeResponse);
    return {
      changes,
      nextCursor: changes.length > 0 ? changes[changes.length - 1].cursor : since.toString(),
      hasMore: rows.length > limit || withheld,
    };
  }

  /**
   * The rows that can be handed out without skipping a change that is still committing. A young gap is
   * final only if no transaction is writing to the log: the one that took the missing number holds its
   * lock on task_changes from before it took the number until it ends. Then the rows are read again,
   * because that transaction may have committed between the first read and the lock check.
   */
  private async withoutOpenGaps(
    rows: RawChange[],
    since: bigint,
    now: number,
    readAgain: () => Promise<RawChange[]>,
  ): Promise<{ rows: RawChange[]; withheld: boolean }> {
    if (this.dataSource.options.type !== 'postgres') return { rows, withheld: false };
    const safe = untilOpenGap(rows, since, now);
    if (safe.length === rows.length) return { rows, withheld: false };
    const writers: unknown[] = await this.dataSource.query(
      "SELECT 1 FROM pg_locks WHERE relation = 'task_changes'::regclass AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid() LIMIT 1",
    );
    if (writers.length > 0) return { rows: safe, withheld: true };
    const newest = BigInt(rows[rows.length - 1].seq);
    const again = (await readAgain()).filter((row) => BigInt(row.seq) <= newest);
    return { rows: again, withheld: false };
  }

  /**
   * Throws 410 when the log cannot continue from `cursor`: retention pruned the changes after it, or it
   * is ahead of the log (a database restored from a backup). Either way the client must reload everything.
   */
  async assertKept(cursor: bigint): Promise<void> {
    const state = await this.state.findOneByOrFail({ id: 1 });
    if (cursor < BigInt(state.prunedThrough)) {
      throw new GoneException('This cursor is older than the change log keeps: reload every task, then follow the new cursor');
    }
    if (cursor > 0n && cursor > (await this.latestCursor())) {
      throw new GoneException('This cursor is ahead of the change log (was the database restored?): reload every task');
    }
  }

  /** The task as its creation left it, from the log (`undefined` when the log has no creation of it). */
  async createdVersion(taskId: string): Promise<TaskResponse | undefined> {
    const created = await this.changes.findOne({ where: { taskId, kind: TaskChangeKind.Created }, select: { snapshot: true } });
    return created?.snapshot ? (JSON.parse(created.snapshot) as TaskResponse) : undefined;
  }

  /** The cursor of the newest change, for a stream that starts without Last-Event-ID. */
  async latestCursor(): Promise<bigint> {
    const row = await this.changes.createQueryBuilder('change').select('MAX(change.seq)', 'latest').getRawOne<{ latest: string | number | null }>();
    return BigInt(row?.latest ?? 0);
  }

  /** Deletes changes older than the retention, a batch at a time. */
  async prune(now = Date.now()): Promise<number> {
    const cutoff = new Date(now - this.config.changeRetentionDays * DAY_MS);
    let pruned = 0;
    for (;;) {
      const batch = await this.changes.find({ select: { seq: true }, where: { changedAt: LessThan(cutoff) }, order: { seq: 'ASC' }, take: PRUNE_BATCH });
      if (batch.length === 0) return pruned;
      const last = batch[batch.length - 1].seq;
      await this.state.update({ id: 1 }, { prunedThrough: last });
      await this.changes.createQueryBuilder().delete().from(TaskChange).where('seq <= :last', { last }).andWhere('changed_at < :cutoff', { cutoff }).execute();
      pruned += batch.length;
    }
  }

  private withUsers() {
    return this.changes
      .createQueryBuilder('change')
      .leftJoin(User, 'user', 'user.id = change.userId')
      .select([
        'change.seq AS seq',
        'change.taskId AS task_id',
        'change.kind AS kind',
        'change.fields AS fields',
        'change.snapshot AS snapshot',
        'change.comment AS comment',
        'change.changedAt AS changed_at',
        'user.id AS user_id',
        'user.name AS user_name',
      ]);
  }
}

interface RawChange {
  seq: string | number;
  task_id: string;
  kind: TaskChangeKind;
  fields: string;
  snapshot: string | null;
  comment: string | null;
  changed_at: string | Date;
  user_id: string | null;
  user_name: string | null;
}

/** The rows up to the first gap in seq that may still fill (younger than GAP_WAIT_MS). */
export function untilOpenGap<T extends { seq: string | number; changed_at: string | Date }>(rows: T[], since: bigint, now: number): T[] {
  let expected = since + 1n;
  for (let index = 0; index < rows.length; index++) {
    const seq = BigInt(rows[index].seq);
    if (seq !== expected && now - toDate(rows[index].changed_at).getTime() < GAP_WAIT_MS) return rows.slice(0, index);
    expected = seq + 1n;
  }
  return rows;
}

function toDate(value: string | Date): Date {
  // SQLite gives TypeORM's `YYYY-MM-DD HH:MM:SS.SSS` (UTC) in raw rows.
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

function toChangeResponse(row: RawChange): TaskChangeResponse {
  // Comment entries carry the comment (null for a deletion); task entries keep v2's shape, without the field.
  const comment = row.kind.startsWith('comment_') ? { comment: row.comment ? (JSON.parse(row.comment) as CommentResponse) : null } : {};
  return {
    ...comment,
    cursor: String(row.seq),
    task_id: row.task_id,
    kind: row.kind,
    changes: JSON.parse(row.fields) as Record<string, FieldChange>,
    user: row.user_id && row.user_name !== null ? { id: row.user_id, name: row.user_name } : null,
    changed_at: toDate(row.changed_at).toISOString(),
    task: row.snapshot ? (JSON.parse(row.snapshot) as TaskResponse) : null,
  };
}

/** The logged fields whose wire values differ between before and after (null for a creation's before, a deletion's after). */
export function changedFields(before: TaskResponse | null, after: TaskResponse | null): Partial<Record<LoggedField, FieldChange>> {
  const fields: Partial<Record<LoggedField, FieldChange>> = {};
  for (const field of LOGGED_FIELDS) {
    const old = before ? loggedValue(before, field) : null;
    const value = after ? loggedValue(after, field) : null;
    // A creation or deletion lists a task's labels only when it has some, as it lists other fields only when set.
    const noLabelsEitherWay = (old === null && isEmptyList(value)) || (value === null && isEmptyList(old));
    if (!sameValue(old, value) && !noLabelsEitherWay) fields[field] = { old, new: value };
  }
  return fields;
}
