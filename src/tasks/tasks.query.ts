import { TaskFiltersDto } from './dto/list-tasks-query.dto';
import { foldForSearch, Task } from './task.entity';
import { PRIORITY_ORDER, SortOrder, STATUS_ORDER, TaskPriority, TaskSortKey, TaskStatus } from './task.enums';
import { encodeTaskCursor, TaskCursor } from './task-cursor';
import { parseTimestamp } from './timestamp';

// The read statements of TasksService, written as SQL rather than through the query builder: a read then costs
// its query, not the building and hydration around it (bench/analysis.md). Each statement's text depends only on
// the shape of the request (which filters, which sort), so PostgreSQL can keep it prepared per connection.

export type SqlDialect = 'postgres' | 'sqlite';

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** A task as the read statements return it: its columns plus its authors' current names. */
export interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  assignee: string | null;
  due_date: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  created_by_id: string | null;
  created_by_name: string | null;
  updated_by_id: string | null;
  updated_by_name: string | null;
}

// Identical to the expression indexes of the CreateTasks migration (without a table prefix), so the planner can
// use them.
const statusRank = (prefix: string) => `(CASE ${prefix}status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END)`;
const priorityRank = (prefix: string) => `(CASE ${prefix}priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)`;

/** Each sort key's expression, on the columns of `tasks` or, with a prefix such as `t.`, of an alias. */
const SORT_EXPRESSIONS: Record<TaskSortKey, (prefix: string) => string> = {
  [TaskSortKey.CreatedAt]: (prefix) => `${prefix}created_at`,
  [TaskSortKey.UpdatedAt]: (prefix) => `${prefix}updated_at`,
  [TaskSortKey.DueDate]: (prefix) => `${prefix}due_date`,
  [TaskSortKey.Title]: (prefix) => `${prefix}title`,
  [TaskSortKey.Priority]: priorityRank,
  [TaskSortKey.Status]: statusRank,
};

const TASK_COLUMNS = 'id, title, description, status, priority, assignee, due_date, created_at, updated_at, created_by_id, updated_by_id';
// The authors' current names, looked up for the rows returned only. As subqueries in the select list of an outer
// query, they never change the plan that picks the rows; a join could, once PostgreSQL plans the prepared
// statement for any LIMIT (bench/analysis.md).
const SELECT_WITH_AUTHORS =
  `SELECT ${TASK_COLUMNS.split(', ').map((column) => `t.${column}`).join(', ')}, ` +
  `(SELECT name FROM users WHERE users.id = t.created_by_id) AS created_by_name, ` +
  `(SELECT name FROM users WHERE users.id = t.updated_by_id) AS updated_by_name FROM`;

/** Collects SQL text and its parameters; `?` placeholders become `$1, $2...` for PostgreSQL. */
class SqlBuilder {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  /** Adds text whose `?` placeholders take `values` in order; Dates are stored as TypeORM stores them. */
  add(text: string, ...values: unknown[]): this {
    this.parts.push(text);
    for (const value of values) this.params.push(this.dialect === 'sqlite' && value instanceof Date ? sqliteDate(value) : value);
    return this;
  }

  build(): SqlStatement {
    let sql = this.parts.join(' ');
    if (this.dialect === 'postgres') {
      let n = 0;
      sql = sql.replace(/\?/g, () => `$${++n}`);
    }
    return { sql, params: this.params };
  }
}

/** TypeORM's SQLite date format: UTC, `YYYY-MM-DD HH:MM:SS.mmm`. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Escapes LIKE's wildcards so that `%`, `_` and `\` in `q` match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The WHERE conditions of the filters (they combine with AND), on the columns of `tasks` itself. */
function addFilters(sql: SqlBuilder, filters: TaskFiltersDto, conditions: string[]): void {
  const condition = (text: string, ...values: unknown[]) => {
    conditions.push(text);
    sql.add(`${conditions.length === 1 ? 'WHERE' : 'AND'} ${text}`, ...values);
  };
  if (filters.status !== undefined) condition('status = ?', filters.status);
  if (filters.priority !== undefined) condition('priority = ?', filters.priority);
  if (filters.assignee !== undefined) condition('assignee = ?', filters.assignee);
  if (filters.q !== undefined) {
    const pattern = `%${escapeLike(foldForSearch(filters.q))}%`;
    condition("(search_title LIKE ? ESCAPE '\\' OR search_description LIKE ? ESCAPE '\\')", pattern, pattern);
  }
  // A NULL due_date never compares true, so both bounds exclude tasks without one.
  if (filters.due_before !== undefined) condition('due_date < ?', parseTimestamp(filters.due_before));
  if (filters.due_after !== undefined) condition('due_date > ?', parseTimestamp(filters.due_after));
}

/** The sort key's value as the statements compare it: a Date for timestamps, a rank for status and priority. */
function cursorValue(cursor: TaskCursor): unknown {
  if (cursor.value === null) return null;
  switch (cursor.sort) {
    case TaskSortKey.Status:
      return STATUS_ORDER.indexOf(cursor.value as TaskStatus);
    case TaskSortKey.Priority:
      return PRIORITY_ORDER.indexOf(cursor.value as TaskPriority);
    case TaskSortKey.Title:
      return cursor.value;
    default:
      return new Date(cursor.value);
  }
}

/**
 * The condition "comes after the cursor" in the list's order (sort key, then id, both in `order`). Tasks without
 * a due date come last in either order, so for due_date they follow every dated task.
 */
function keysetCondition(cursor: TaskCursor): [string, unknown[]] {
  const key = SORT_EXPRESSIONS[cursor.sort]('');
  const after = cursor.order === SortOrder.Desc ? '<' : '>';
  const value = cursorValue(cursor);
  if (cursor.sort !== TaskSortKey.DueDate) return [`(${key}, id) ${after} (?, ?)`, [value, cursor.id]];
  if (value === null) return [`(due_date IS NULL AND id ${after} ?)`, [cursor.id]];
  return [`((due_date, id) ${after} (?, ?) OR due_date IS NULL)`, [value, cursor.id]];
}

/** Sort key, then id in the same direction; tasks without a due date come last in either direction. */
function orderBy(sort: TaskSortKey, order: SortOrder, prefix = ''): string {
  const direction = order === SortOrder.Desc ? 'DESC' : 'ASC';
  const nulls = sort === TaskSortKey.DueDate ? ' NULLS LAST' : '';
  return `ORDER BY ${SORT_EXPRESSIONS[sort](prefix)} ${direction}${nulls}, ${prefix}id ${direction}`;
}

export interface TaskPageRequest {
  filters: TaskFiltersDto;
  sort: TaskSortKey;
  order: SortOrder;
  skip: number;
  limit: number;
  cursor?: TaskCursor;
}

/**
 * One page of tasks with their authors: the page is chosen in a subquery (filters, keyset condition, order,
 * LIMIT, OFFSET), then only its rows get their authors' names.
 */
export function taskPageStatement(dialect: SqlDialect, page: TaskPageRequest): SqlStatement {
  const sql = new SqlBuilder(dialect).add(`${SELECT_WITH_AUTHORS} (SELECT ${TASK_COLUMNS} FROM tasks`);
  const conditions: string[] = [];
  addFilters(sql, page.filters, conditions);
  if (page.cursor) {
    const [condition, values] = keysetCondition(page.cursor);
    sql.add(`${conditions.length === 0 ? 'WHERE' : 'AND'} ${condition}`, ...values);
  }
  sql.add(`${orderBy(page.sort, page.order)} LIMIT ? OFFSET ?) t`, page.limit, page.skip);
  return sql.add(orderBy(page.sort, page.order, 't.')).build();
}

export function taskByIdStatement(dialect: SqlDialect, id: string): SqlStatement {
  return new SqlBuilder(dialect).add(`${SELECT_WITH_AUTHORS} tasks t WHERE t.id = ?`, id).build();
}

/** Whether the task_counts table answers this count: no filter other than status and priority. */
export function countedByStatusAndPriority(filters: TaskFiltersDto): boolean {
  return [filters.assignee, filters.q, filters.due_before, filters.due_after].every((value) => value === undefined);
}

/** The number of tasks matching the filters, as one row `{ total }`: from the counters when they can answer. */
export function taskCountStatement(dialect: SqlDialect, filters: TaskFiltersDto): SqlStatement {
  if (countedByStatusAndPriority(filters)) {
    const sql = new SqlBuilder(dialect).add('SELECT COALESCE(SUM(count), 0) AS total FROM task_counts');
    if (filters.status !== undefined) sql.add('WHERE status = ?', filters.status);
    if (filters.priority !== undefined) sql.add(`${filters.status !== undefined ? 'AND' : 'WHERE'} priority = ?`, filters.priority);
    return sql.build();
  }
  const sql = new SqlBuilder(dialect).add('SELECT COUNT(*) AS total FROM tasks');
  addFilters(sql, filters, []);
  return sql.build();
}

/** Tasks per (status, priority), summed over the counter rows. */
export const COUNTS_BY_STATUS_AND_PRIORITY = 'SELECT status, priority, SUM(count) AS count FROM task_counts GROUP BY status, priority';

/** Open tasks due before `now`: whole past days from the task_due_days counters, today's from the index. */
export function overdueStatements(dialect: SqlDialect, now: Date): [SqlStatement, SqlStatement] {
  const today = now.toISOString().slice(0, 10);
  return [
    new SqlBuilder(dialect).add('SELECT COALESCE(SUM(count), 0) AS total FROM task_due_days WHERE day < ?', today).build(),
    new SqlBuilder(dialect)
      .add("SELECT COUNT(*) AS total FROM tasks WHERE due_date >= ? AND due_date < ? AND status <> 'done'",
        new Date(`${today}T00:00:00.000Z`), now)
      .build(),
  ];
}

/** A date column as the driver returns it (a Date from pg, UTC text from SQLite) as a Date. */
function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}

/** The Task a read statement's row describes, authors included (see TaskRow). */
export function taskFromRow(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    assignee: row.assignee,
    dueDate: row.due_date === null ? null : toDate(row.due_date),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    createdById: row.created_by_id,
    updatedById: row.updated_by_id,
    createdBy: row.created_by_id !== null && row.created_by_name !== null ? { id: row.created_by_id, name: row.created_by_name } : null,
    updatedBy: row.updated_by_id !== null && row.updated_by_name !== null ? { id: row.updated_by_id, name: row.updated_by_name } : null,
  } as Task;
}

/** The cursor of the page that follows `task` in this sort and order. */
export function cursorAfter(task: Task, sort: TaskSortKey, order: SortOrder): string {
  const values: Record<TaskSortKey, string | null> = {
    [TaskSortKey.CreatedAt]: task.createdAt.toISOString(),
    [TaskSortKey.UpdatedAt]: task.updatedAt.toISOString(),
    [TaskSortKey.DueDate]: task.dueDate?.toISOString() ?? null,
    [TaskSortKey.Title]: task.title,
    [TaskSortKey.Priority]: task.priority,
    [TaskSortKey.Status]: task.status,
  };
  return encodeTaskCursor({ sort, order, value: values[sort], id: task.id });
}
