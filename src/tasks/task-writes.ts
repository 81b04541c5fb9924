import type { Database, Statement as SqliteStatement } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { type RowsToInsert } from '../database/atomic-write';
import { namedQuery } from '../database/named-statements';
import { announceQuery } from '../database/query-events';
import { sqliteDate } from '../database/sql-values';
import { sqliteConnection } from '../database/sqlite-connection';
import { inGroupCommit } from '../database/sqlite-group-commit';
import { taskKey } from '../projects/project-key';

// The writes of TasksService, one per kind of write, each with everything that goes with it in the same
// transaction: the task's number (the project's counter row), its keys, its labels, its change-log entry and any
// rows other features add (notifications, jobs). PostgreSQL: one statement of data-modifying CTEs, one round
// trip, where every part after the task's own write runs only if that write happened (`FROM written`). SQLite:
// synchronous better-sqlite3 statements, which nothing can interleave with, in a savepoint of the next group
// commit (several requests' writes, one commit).

/** Task columns as the statements write them (snake_case, as in the table). */
export type TaskColumns = Record<string, unknown>;

/** A change-log row; `fields` and `snapshot` are JSON texts (see ChangeLogService). */
export interface ChangeRow {
  taskId: string;
  kind: string;
  fields: string;
  snapshot: string | null;
  userId: string | null;
  changedAt: Date;
}

/** Rows another feature adds in the write's transaction, only if the write happened. */
export type ExtraRows = RowsToInsert;

/** Where a task's number comes from: its project (by id), or the default project. */
export type NumberSource = { projectId: string } | 'default';

export interface TaskCreate {
  id: string;
  columns: TaskColumns;
  project: NumberSource;
  labelIds: string[];
  /** The change-log row; its snapshot lacks the number, key (and project id for the default project): filled in here. */
  change: ChangeRow;
  extras?: ExtraRows[];
}

export interface TaskUpdate {
  id: string;
  version: Date;
  set: TaskColumns;
  /** The project the task moves to: it takes that project's next number. */
  moveTo?: string;
  /** The task's new set of labels, when it changes. */
  labelIds?: string[];
  change: ChangeRow;
  extras?: ExtraRows[];
  /** Label deletion takes labels off tasks of archived projects too. */
  evenIfArchived?: boolean;
}

export interface TaskDelete {
  id: string;
  version: Date;
  change: ChangeRow;
  /** Tables whose rows of this task go with it (`task_id` column), besides keys and labels. */
  alsoFrom?: string[];
  extras?: ExtraRows[];
}

export interface NumberGiven {
  projectId: string;
  number: number;
  key: string;
}

export interface WriteResult {
  /** Rows the write changed: 0 when its condition (the version read, a project not archived) no longer held. */
  affected: number;
  /** The number a creation or a move took. */
  numbered?: NumberGiven;
}

const NOT_ARCHIVED = 'project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE)';
const CHANGE_COLUMNS = 'task_id, kind, fields, snapshot, user_id, changed_at';

/** `$n` placeholders for PostgreSQL, numbered as values are added. */
class PgParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const LABEL_COLUMNS = 'task_id, label_id, task_project_id, task_created_at';
/** A label on an existing task, with the task's project and creation time as the transaction sees them (SQLite). */
const LABEL_TASK = `INSERT INTO task_labels (${LABEL_COLUMNS}) SELECT ?, ?, project_id, created_at FROM tasks WHERE id = ?`;

export class TaskWrites {
  private readonly isPostgres: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  create(write: TaskCreate): Promise<WriteResult> {
    return this.isPostgres ? this.createOnPostgres(write) : this.onSqlite('INSERT INTO tasks', () => this.createOnSqlite(write));
  }

  update(write: TaskUpdate): Promise<WriteResult> {
    return this.isPostgres ? this.updateOnPostgres(write) : this.onSqlite('UPDATE tasks', () => this.updateOnSqlite(write));
  }

  remove(write: TaskDelete): Promise<WriteResult> {
    return this.isPostgres ? this.removeOnPostgres(write) : this.onSqlite('DELETE FROM tasks', () => this.removeOnSqlite(write));
  }

  // PostgreSQL

  private async createOnPostgres(write: TaskCreate): Promise<WriteResult> {
    const p = new PgParams();
    const id = p.add(write.id);
    const where = write.project === 'default' ? 'is_default = TRUE' : `id = ${p.add(write.project.projectId)}`;
    const columns = Object.keys(write.columns);
    const values = columns.map((column) => p.add(write.columns[column]));
    const parts = [
      `num AS (UPDATE projects SET next_number = next_number + 1 WHERE ${where} AND archived = FALSE RETURNING id, key, next_number - 1 AS number)`,
      `written AS (INSERT INTO tasks (${columns.join(', ')}, project_id, number) SELECT ${values.join(', ')}, num.id, num.number FROM num RETURNING id)`,
      `keyed AS (INSERT INTO task_keys (project_id, number, task_id) SELECT num.id, num.number, ${id} FROM num JOIN written ON TRUE)`,
    ];
    if (write.labelIds.length > 0) {
      // Each label row keeps its task's project and creation time (the label's list order and counters).
      parts.push(
        `labelled AS (INSERT INTO task_labels (task_id, label_id, task_project_id, task_created_at) SELECT ${id}, unnest(${p.add(write.labelIds)}::varchar[]), num.id, ${p.add(write.columns.created_at)}::timestamptz FROM num JOIN written ON TRUE)`,
      );
    }
    // The snapshot and the project_id change get what only the counter row knows.
    const snapshot = `jsonb_set(jsonb_set(jsonb_set(${p.add(write.change.snapshot)}::jsonb, '{project_id}', to_jsonb(num.id)), '{number}', to_jsonb(num.number)), '{key}', to_jsonb(num.key || '-' || num.number))::text`;
    const fields = `jsonb_set(${p.add(write.change.fields)}::jsonb, '{project_id}', jsonb_build_object('old', NULL, 'new', num.id))::text`;
    parts.push(this.pgChange(p, write.change, { fields, snapshot, from: 'num JOIN written ON TRUE' }));
    parts.push(...this.pgExtras(p, write.extras));
    const rows: Array<{ project_id: string; number: number; key: string }> = await this.query(
      `WITH ${parts.join(', ')} SELECT num.id AS project_id, num.number, num.key FROM num JOIN written ON TRUE`,
      p.values,
    );
    if (rows.length === 0) return { affected: 0 };
    const [{ project_id: projectId, number, key }] = rows;
    return { affected: 1, numbered: { projectId, number, key: taskKey(key, number) } };
  }

  private async updateOnPostgres(write: TaskUpdate): Promise<WriteResult> {
    const p = new PgParams();
    const id = p.add(write.id);
    const parts: string[] = [];
    const set = Object.keys(write.set).map((column) => `${column} = ${p.add(write.set[column])}`);
    let from = '';
    if (write.moveTo !== undefined) {
      parts.push(
        `num AS (UPDATE projects SET next_number = next_number + 1 WHERE id = ${p.add(write.moveTo)} AND archived = FALSE RETURNING id, key, next_number - 1 AS number)`,
      );
      set.push('project_id = num.id', 'number = num.number');
      from = ' FROM num';
    }
    const archived = write.evenIfArchived ? '' : ` AND tasks.${NOT_ARCHIVED}`;
    parts.push(
      `written AS (UPDATE tasks SET ${set.join(', ')}${from} WHERE tasks.id = ${id} AND tasks.updated_at = ${p.add(write.version)}${archived} RETURNING tasks.id)`,
    );
    if (write.moveTo !== undefined) {
      parts.push(`keyed AS (INSERT INTO task_keys (project_id, number, task_id) SELECT num.id, num.number, ${id} FROM num JOIN written ON TRUE)`);
    }
    if (write.labelIds !== undefined) {
      const labels = p.add(write.labelIds);
      parts.push(
        `unlabelled AS (DELETE FROM task_labels WHERE task_id = ${id} AND NOT (label_id = ANY(${labels}::varchar[])) AND EXISTS (SELECT 1 FROM written))`,
        // The task's project as this statement leaves it (a move's new one); the row trigger
        // task_labels_follow_project moves its other labels after the statement.
        `labelled AS (INSERT INTO task_labels (task_id, label_id, task_project_id, task_created_at) SELECT ${id}, label_id, ${write.moveTo !== undefined ? '(SELECT id FROM num)' : `(SELECT project_id FROM tasks WHERE id = ${id})`}, (SELECT created_at FROM tasks WHERE id = ${id}) FROM unnest(${labels}::varchar[]) AS label_id WHERE EXISTS (SELECT 1 FROM written) ON CONFLICT DO NOTHING)`,
      );
    }
    const moved = write.moveTo !== undefined;
    const snapshot = moved
      ? `jsonb_set(jsonb_set(${p.add(write.change.snapshot)}::jsonb, '{number}', to_jsonb(num.number)), '{key}', to_jsonb(num.key || '-' || num.number))::text`
      : p.add(write.change.snapshot);
    parts.push(this.pgChange(p, write.change, { fields: p.add(write.change.fields), snapshot, from: moved ? 'num JOIN written ON TRUE' : 'written' }));
    parts.push(...this.pgExtras(p, write.extras));
    const rows: Array<{ project_id?: string; number?: number; key?: string }> = await this.query(
      `WITH ${parts.join(', ')} SELECT ${moved ? 'num.id AS project_id, num.number, num.key FROM num JOIN written ON TRUE' : '1 AS one FROM written'}`,
      p.values,
    );
    if (rows.length === 0) return { affected: 0 };
    const [row] = rows;
    return moved ? { affected: 1, numbered: { projectId: row.project_id!, number: row.number!, key: taskKey(row.key!, row.number!) } } : { affected: 1 };
  }

  private async removeOnPostgres(write: TaskDelete): Promise<WriteResult> {
    const p = new PgParams();
    const id = p.add(write.id);
    const parts = [`written AS (DELETE FROM tasks WHERE id = ${id} AND updated_at = ${p.add(write.version)} AND ${NOT_ARCHIVED} RETURNING id)`];
    for (const [index, table] of ['task_keys', 'task_labels', ...(write.alsoFrom ?? [])].entries()) {
      parts.push(`gone_${index} AS (DELETE FROM ${table} WHERE task_id = ${id} AND EXISTS (SELECT 1 FROM written))`);
    }
    parts.push(this.pgChange(p, write.change, { fields: p.add(write.change.fields), snapshot: p.add(write.change.snapshot), from: 'written' }));
    parts.push(...this.pgExtras(p, write.extras));
    const rows: unknown[] = await this.query(`WITH ${parts.join(', ')} SELECT 1 AS one FROM written`, p.values);
    return { affected: rows.length };
  }

  private pgChange(p: PgParams, change: ChangeRow, sql: { fields: string; snapshot: string; from: string }): string {
    const values = [p.add(change.taskId), p.add(change.kind), sql.fields, sql.snapshot, p.add(change.userId), p.add(change.changedAt)];
    return `logged AS (INSERT INTO task_changes (${CHANGE_COLUMNS}) SELECT ${values.join(', ')} FROM ${sql.from})`;
  }

  private pgExtras(p: PgParams, extras: ExtraRows[] = []): string[] {
    return extras
      .filter((extra) => extra.rows.length > 0)
      .map((extra, index) => {
        // One array per column, unnested side by side: any number of rows in a fixed statement shape.
        const arrays = extra.columns.map((_, column) => `${p.add(extra.rows.map((row) => row[column]))}::${extra.pgTypes[column]}[]`);
        const conflict = extra.onConflict ? ` ON CONFLICT ${extra.onConflict}` : '';
        return `extra_${index} AS (INSERT INTO ${extra.table} (${extra.columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) WHERE EXISTS (SELECT 1 FROM written)${conflict})`;
      });
  }

  private query<T>(sql: string, values: unknown[]): Promise<T[]> {
    return namedQuery<T>(this.dataSource, sql, values);
  }

  // SQLite

  private createOnSqlite(write: TaskCreate): WriteResult {
    const db = sqliteConnection(this.dataSource);
    const where = write.project === 'default' ? 'is_default = 1' : 'id = ?';
    const given = this.run(db, `UPDATE projects SET next_number = next_number + 1 WHERE ${where} AND archived = 0 RETURNING id, key, next_number - 1 AS number`, write.project === 'default' ? [] : [write.project.projectId], true) as
      | { id: string; key: string; number: number }
      | undefined;
    if (!given) return { affected: 0 };
    const numbered = { projectId: given.id, number: given.number, key: taskKey(given.key, given.number) };
    const columns = { ...write.columns, project_id: given.id, number: given.number };
    const names = Object.keys(columns);
    this.run(db, `INSERT INTO tasks (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, Object.values(columns));
    this.run(db, 'INSERT INTO task_keys (project_id, number, task_id) VALUES (?, ?, ?)', [given.id, given.number, write.id]);
    if (write.labelIds.length > 0) {
      // One statement for every label, with the project and creation time just given to the task (no read of it).
      const rows = write.labelIds.map(() => '(?, ?, ?, ?)').join(', ');
      this.run(db, `INSERT INTO task_labels (${LABEL_COLUMNS}) VALUES ${rows}`, write.labelIds.flatMap((labelId) => [write.id, labelId, given.id, write.columns.created_at]));
    }
    const snapshot = { ...(JSON.parse(write.change.snapshot!) as object), project_id: given.id, number: given.number, key: numbered.key };
    const fields = { ...(JSON.parse(write.change.fields) as object), project_id: { old: null, new: given.id } };
    this.logChange(db, { ...write.change, fields: JSON.stringify(fields), snapshot: JSON.stringify(snapshot) });
    this.insertExtras(db, write.extras);
    return { affected: 1, numbered };
  }

  private updateOnSqlite(write: TaskUpdate): WriteResult {
    const db = sqliteConnection(this.dataSource);
    const set = { ...write.set };
    let numbered: NumberGiven | undefined;
    let change = write.change;
    if (write.moveTo !== undefined) {
      const given = this.run(db, 'UPDATE projects SET next_number = next_number + 1 WHERE id = ? AND archived = 0 RETURNING id, key, next_number - 1 AS number', [write.moveTo], true) as
        | { id: string; key: string; number: number }
        | undefined;
      // The transaction is rolled back, so the number is not taken.
      if (!given) throw new RollBack();
      numbered = { projectId: given.id, number: given.number, key: taskKey(given.key, given.number) };
      Object.assign(set, { project_id: given.id, number: given.number });
      change = { ...change, snapshot: JSON.stringify({ ...(JSON.parse(change.snapshot!) as object), number: given.number, key: numbered.key }) };
    }
    const names = Object.keys(set);
    const archived = write.evenIfArchived ? '' : ` AND ${NOT_ARCHIVED}`;
    const { changes } = this.run(db, `UPDATE tasks SET ${names.map((name) => `${name} = ?`).join(', ')} WHERE id = ? AND updated_at = ?${archived}`, [
      ...Object.values(set),
      write.id,
      write.version,
    ]) as { changes: number };
    if (changes !== 1) throw new RollBack();
    if (numbered) this.run(db, 'INSERT INTO task_keys (project_id, number, task_id) VALUES (?, ?, ?)', [numbered.projectId, numbered.number, write.id]);
    if (write.labelIds !== undefined) {
      this.run(db, `DELETE FROM task_labels WHERE task_id = ? AND label_id NOT IN (SELECT value FROM json_each(?))`, [write.id, JSON.stringify(write.labelIds)]);
      for (const labelId of write.labelIds) this.run(db, `${LABEL_TASK} ON CONFLICT DO NOTHING`, [write.id, labelId, write.id]);
    }
    this.logChange(db, change);
    this.insertExtras(db, write.extras);
    return { affected: 1, numbered };
  }

  private removeOnSqlite(write: TaskDelete): WriteResult {
    const db = sqliteConnection(this.dataSource);
    const { changes } = this.run(db, `DELETE FROM tasks WHERE id = ? AND updated_at = ? AND ${NOT_ARCHIVED}`, [write.id, write.version]) as { changes: number };
    if (changes !== 1) return { affected: 0 };
    for (const table of ['task_keys', 'task_labels', ...(write.alsoFrom ?? [])]) this.run(db, `DELETE FROM ${table} WHERE task_id = ?`, [write.id]);
    this.logChange(db, write.change);
    this.insertExtras(db, write.extras);
    return { affected: 1 };
  }

  private logChange(db: Database, change: ChangeRow): void {
    this.run(db, `INSERT INTO task_changes (${CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
      change.taskId,
      change.kind,
      change.fields,
      change.snapshot,
      change.userId,
      change.changedAt,
    ]);
  }

  private insertExtras(db: Database, extras: ExtraRows[] = []): void {
    for (const extra of extras) {
      for (const row of extra.rows) {
        const conflict = extra.onConflict ? ` ON CONFLICT ${extra.onConflict}` : '';
        this.run(db, `INSERT INTO ${extra.table} (${extra.columns.join(', ')}) VALUES (${extra.columns.map(() => '?').join(', ')})${conflict}`, row);
      }
    }
  }

  /** Runs `write` in the next group commit (sqlite-group-commit.ts): answered once it is durable. */
  private async onSqlite(statement: string, write: () => WriteResult): Promise<WriteResult> {
    const startedAt = performance.now();
    try {
      const result = await inGroupCommit(this.dataSource, write);
      announceQuery(this.dataSource, statement, startedAt);
      return result;
    } catch (error) {
      // Its savepoint has been rolled back: nothing of this write remains.
      if (error instanceof RollBack) return { affected: 0 };
      announceQuery(this.dataSource, statement, startedAt, error);
      throw error;
    }
  }

  private run(db: Database, sql: string, params: unknown[], returning = false): unknown {
    const statement = prepared(db, sql);
    const values = params.map((value) => (typeof value === 'boolean' ? Number(value) : sqliteDate(value)));
    return returning ? statement.get(...values) : statement.run(...values);
  }
}

/** Thrown inside a SQLite write to undo everything it did so far and answer "nothing changed". */
class RollBack extends Error {}

// Statements are prepared once per SQL text; the shapes of task writes are few.
const preparedStatements = new WeakMap<Database, Map<string, SqliteStatement>>();

function prepared(database: Database, sql: string): SqliteStatement {
  let cache = preparedStatements.get(database);
  if (!cache) preparedStatements.set(database, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = database.prepare(sql)));
  return statement;
}
