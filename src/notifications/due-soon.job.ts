import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { insertSteps, runAtomically, WriteStep } from '../database/atomic-write';
import { storedDate } from '../database/sql-values';
import { ChangeLogService } from '../history/change-log.service';
import { JobsService } from '../jobs/jobs.service';
import { notificationRows } from './notification-rows';
import { NotificationKind } from './notification.entity';
import { NotificationsService } from './notifications.service';

export const DUE_SOON_JOB = 'notifications.due_soon';
/** Runs this often, so that a task is notified within this much of its due date coming within 24 hours. */
export const DUE_SOON_EVERY_MS = 30_000;
const DUE_SOON_WINDOW_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

interface DueTask {
  id: string;
  title: string;
  assignee_id: string;
  due_date: string | Date;
  project_key: string;
  number: number | string;
}

/**
 * `due_soon`: the member assignee of an open task hears once that its due date is within 24 hours. A periodic
 * job on the job mechanism (one run per slot across instances); the database is the arbiter of "once": each
 * notification carries the unique key `due_soon:<task>:<due date>`, so a second run, on this instance or
 * another, inserts nothing, and a new due date notifies again.
 */
@Injectable()
export class DueSoonJob implements OnModuleInit {
  private readonly isPostgres: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly notifications: NotificationsService,
    private readonly changeLog: ChangeLogService,
  ) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  onModuleInit(): void {
    if (!this.notifications.enabled) return;
    this.jobs.register(DUE_SOON_JOB, async () => {
      await this.run();
    });
    this.jobs.every(DUE_SOON_JOB, DUE_SOON_EVERY_MS);
  }

  /** Notifies every open, assigned task due within 24 hours that was not notified for that due date. Returns how many. */
  async run(now = new Date()): Promise<number> {
    let notified = 0;
    let after = '';
    for (;;) {
      const tasks = await this.dueTasks(now, after);
      if (tasks.length === 0) break;
      after = tasks[tasks.length - 1].id;
      const done = await this.notifiedKeys(tasks.map((task) => task.id));
      for (const task of tasks) {
        const dueDate = toDate(task.due_date).toISOString();
        if (done.has(dueSoonKey(task.id, dueDate))) continue;
        const notification = {
              userId: task.assignee_id,
              kind: NotificationKind.DueSoon,
              task: { id: task.id, key: `${task.project_key}-${task.number}`, title: task.title },
              actorId: null,
              dedupeKey: dueSoonKey(task.id, dueDate),
              at: now,
        };
        const emails = (await this.notifications.emailRows([notification], null)).flatMap(insertSteps);
        // The unique dedupe key makes a second insert for the same task and due date change nothing (its email neither).
        const step: WriteStep = { rows: { ...notificationRows([notification]), onConflict: '(dedupe_key) DO NOTHING' }, required: true };
        if (await runAtomically(this.dataSource, [step, ...emails])) notified++;
      }
      if (tasks.length < BATCH) break;
    }
    // Wakes this instance's streams and, on PostgreSQL, the other instances'.
    if (notified > 0) this.changeLog.announceWrite();
    return notified;
  }

  /** Open tasks with a member assignee, due between now and 24 hours from now, not in an archived project. */
  private dueTasks(now: Date, afterId: string): Promise<DueTask[]> {
    const p = this.isPostgres ? ['$1', '$2', '$3'] : ['?', '?', '?'];
    return this.dataSource.query<DueTask[]>(
      `SELECT t.id, t.title, t.assignee_id, t.due_date, pr.key AS project_key, t.number
       FROM tasks t JOIN projects pr ON pr.id = t.project_id
       WHERE t.due_date > ${p[0]} AND t.due_date <= ${p[1]} AND t.status <> 'done' AND t.assignee_id IS NOT NULL
         AND pr.archived = ${this.isPostgres ? 'FALSE' : '0'} AND t.id > ${p[2]}
       ORDER BY t.id LIMIT ${BATCH}`,
      [storedDate(this.dataSource, now), storedDate(this.dataSource, new Date(now.getTime() + DUE_SOON_WINDOW_MS)), afterId],
    );
  }

  /** The due_soon keys already used by these tasks: most runs find every candidate notified and write nothing. */
  private async notifiedKeys(taskIds: string[]): Promise<Set<string>> {
    const placeholders = taskIds.map((_, index) => (this.isPostgres ? `$${index + 1}` : '?')).join(', ');
    const rows = await this.dataSource.query<Array<{ dedupe_key: string }>>(
      `SELECT dedupe_key FROM notifications WHERE kind = 'due_soon' AND task_id IN (${placeholders})`,
      taskIds,
    );
    return new Set(rows.map((row) => row.dedupe_key));
  }

}

function dueSoonKey(taskId: string, dueDate: string): string {
  return `due_soon:${taskId}:${dueDate}`;
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}
