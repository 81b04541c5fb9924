import { numberedPlaceholders, sqliteDate } from '../database/sql-values';
import { parseTaskKey } from '../projects/project-key';
import { TaskFiltersDto } from './dto/list-tasks-query.dto';
import { foldForSearch, Task, TaskLabel } from './task.entity';
import { PRIORITY_ORDER, SortOrder, STATUS_ORDER, TaskPriority, TaskSortKey, TaskStatus } from './task.enums';
import { encodeTaskCursor, TaskCursor } from './task-cursor';
import { parseTimestamp } from './timestamp';

// The read statements of TasksService, written as SQL rather than through the query builder: a read then costs
// its query, not the building and hydration around it (bench/analysis.md). Each statement's text depends only on
// the shape of the request (which filters, which sort), so PostgreSQL can keep it prepared per connection.

export type SqlDialect = 'postgres' | 'sqlite';

/** The filters of a list as the statements apply them: the DTO's, with project, labels and assignee resolved. */
export type TaskFilters = Omit<TaskFiltersDto, 'project_id' | 'label_ids' | 'assignee_id'> & {
  projectId?: string;
  /** Tasks carrying every one of these labels. */
  labelIds?: string[];
  /** A member's id, or null for tasks assigned to no member. */
  assigneeId?: string | null;
};

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** A task's own columns, as the page statement returns them (its relations come from pageRelationStatements). */
export interface TaskColumnsRow {
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
  updated_by_id: string | null;
  project_id: string;
  number: number;
  assignee_id: string | null;
}

/** A task as the statement by id returns it: its columns plus its authors' current names, project key, labels and comment count. */
export interface TaskRow extends TaskColumnsRow {
  created_by_name: string | null;
  updated_by_name: string | null;
  project_key: string;
  assignee_name: string | null;
  /** JSON array of `{id, name, color}` (text on SQLite, parsed by pg), or null for none. */
  labels: string | TaskLabel[] | null;
  comment_count: number | string;
}

// Identical to the expression indexes of the CreateTasks migration (without a table prefix), so the planner can
// use them.
const statusRank = (prefix: string) => `(CASE ${prefix}status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END)`;
const priorityRank = (prefix: string) => `(CASE ${prefix}priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)`;

const projectKeyOf = (prefix: string) => `(SELECT key FROM projects WHERE projects.id = ${prefix}project_id)`;

/** Each sort key's expression, on the columns of `tasks` or, with a prefix such as `t.`, of an alias. */
const SORT_EXPRESSIONS: Record<TaskSortKey, (prefix: string) => string> = {
  // Project key, then number: a pair, compared and ordered as one.
  [TaskSortKey.Key]: (prefix) => `${projectKeyOf(prefix)}, ${prefix}number`,
  [TaskSortKey.CreatedAt]: (prefix) => `${prefix}created_at`,
  [TaskSortKey.UpdatedAt]: (prefix) => `${prefix}updated_at`,
  [TaskSortKey.DueDate]: (prefix) => `${prefix}due_date`,
  [TaskSortKey.Title]: (prefix) => `${prefix}title`,
  [TaskSortKey.Priority]: priorityRank,
  [TaskSortKey.Status]: statusRank,
};

const TASK_COLUMNS =
  'id, title, description, status, priority, assignee, due_date, created_at, updated_at, created_by_id, updated_by_id, project_id, number, assignee_id';

/** A task's labels as a JSON array ordered by name (null when it has none on PostgreSQL, `[]` on SQLite). */
function labelsOf(dialect: SqlDialect): string {
  const from = 'FROM task_labels tl JOIN labels l ON l.id = tl.label_id WHERE tl.task_id = t.id';
  return dialect === 'postgres'
    ? `(SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY l.name, l.id) ${from})`
    : `(SELECT json_group_array(json_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY l.name, l.id) ${from})`;
}

// The names, project key and labels of the one task read by id. As subqueries in the select list they are a few
// index probes for one row, cheaper than the round trips of pageRelationStatements (bench/analysis.md, issue 21 section E).
function selectWithRelations(dialect: SqlDialect): string {
  return `${selectColumnsWithRelations(dialect)} FROM`;
}

function selectColumnsWithRelations(dialect: SqlDialect): string {
  return (
    `SELECT ${TASK_COLUMNS.split(', ').map((column) => `t.${column}`).join(', ')}, ` +
    `(SELECT name FROM users WHERE users.id = t.created_by_id) AS created_by_name, ` +
    `(SELECT name FROM users WHERE users.id = t.updated_by_id) AS updated_by_name, ` +
    `(SELECT name FROM users WHERE users.id = t.assignee_id) AS assignee_name, ` +
    `${projectKeyOf('t.')} AS project_key, ${labelsOf(dialect)} AS labels, ${COMMENT_COUNT} AS comment_count`
  );
}

/** Counted on read (the comments index by task makes it a short range scan), so that a comment never changes the task's version. */
const COMMENT_COUNT = '(SELECT COUNT(*) FROM comments c WHERE c.task_id = t.id)';

/** Tasks of archived projects are left out of every list, count and statistic that names no project. */
const NOT_ARCHIVED = 'project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE)';

/** Collects SQL text and its parameters; `?` placeholders become `$1, $2...` for PostgreSQL. */
class SqlBuilder {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  constructor(private readonly dialect: SqlDialect) {}

  /** Adds text whose `?` placeholders take `values` in order; Dates are stored as TypeORM stores them. */
  add(text: string, ...values: unknown[]): this {
    this.parts.push(text);
    for (const value of values) this.params.push(this.dialect === 'sqlite' ? sqliteDate(value) : value);
    return this;
  }

  build(): SqlStatement {
    const sql = this.parts.join(' ');
    return { sql: this.dialect === 'postgres' ? numberedPlaceholders(sql) : sql, params: this.params };
  }
}

/** Escapes LIKE's wildcards so that `%`, `_` and `\` in `q` match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The WHERE conditions of the filters (they combine with AND), on the columns of `tasks` itself. */
function addFilters(sql: SqlBuilder, filters: TaskFilters, conditions: string[]): void {
  const condition = (text: string, ...values: unknown[]) => {
    conditions.push(text);
    sql.add(`${conditions.length === 1 ? 'WHERE' : 'AND'} ${text}`, ...values);
  };
  if (filters.projectId !== undefined) condition('project_id = ?', filters.projectId);
  else condition(NOT_ARCHIVED);
  if (filters.status !== undefined) condition('status = ?', filters.status);
  if (filters.priority !== undefined) condition('priority = ?', filters.priority);
  if (filters.assignee !== undefined) condition('assignee = ?', filters.assignee);
  if (filters.assigneeId === null) condition('assignee_id IS NULL');
  else if (filters.assigneeId !== undefined) condition('assignee_id = ?', filters.assigneeId);
  // `id IN (the label's tasks)` rather than a correlated EXISTS: SQLite then reads the label's range of
  // IDX_task_labels_label once instead of probing it for every task it scans in list order (measured 5x at 10,000 tasks).
  for (const labelId of filters.labelIds ?? []) {
    condition('id IN (SELECT tl.task_id FROM task_labels tl WHERE tl.label_id = ?)', labelId);
  }
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
    case TaskSortKey.Key:
      return parseTaskKey(cursor.value);
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
  if (cursor.sort === TaskSortKey.Key) {
    const { projectKey, number } = value as { projectKey: string; number: number };
    return [`(${key}, id) ${after} (?, ?, ?)`, [projectKey, number, cursor.id]];
  }
  if (cursor.sort !== TaskSortKey.DueDate) return [`(${key}, id) ${after} (?, ?)`, [value, cursor.id]];
  if (value === null) return [`(due_date IS NULL AND id ${after} ?)`, [cursor.id]];
  return [`((due_date, id) ${after} (?, ?) OR due_date IS NULL)`, [value, cursor.id]];
}

/** Sort key, then id in the same direction; tasks without a due date come last in either direction. */
function orderBy(sort: TaskSortKey, order: SortOrder, prefix = ''): string {
  const direction = order === SortOrder.Desc ? 'DESC' : 'ASC';
  const nulls = sort === TaskSortKey.DueDate ? ' NULLS LAST' : '';
  const keys = sort === TaskSortKey.Key ? [projectKeyOf(prefix), `${prefix}number`] : [SORT_EXPRESSIONS[sort](prefix)];
  return `ORDER BY ${keys.map((key) => `${key} ${direction}${nulls}`).join(', ')}, ${prefix}id ${direction}`;
}

export interface TaskPageRequest {
  filters: TaskFilters;
  sort: TaskSortKey;
  order: SortOrder;
  skip: number;
  limit: number;
  cursor?: TaskCursor;
}

/** The task columns of the outer query of a label's page, on the page's tasks `t`. */
const SELECT_PAGE_COLUMNS = `SELECT ${TASK_COLUMNS.split(', ').map((column) => `t.${column}`).join(', ')} FROM`;

/**
 * Whether a page's statement returns its rows with their relations (TaskRow, per-row subqueries in an outer query)
 * or their own columns only (TaskColumnsRow, relations read by pageRelationStatements). PostgreSQL: with them, as
 * each of the four relation statements is a round trip whose socket writes cost the API more than the subqueries
 * cost the database (list page, API process: 2.6-3.1 ms of CPU with the four statements, 1.7-2.3 with the
 * subqueries, bench/analysis.md).
 * SQLite: without them, as its statements are function calls and the subqueries the larger cost.
 */
export function pageCarriesRelations(dialect: SqlDialect): boolean {
  return dialect === 'postgres';
}

/** The outer select of a page's statement: its tasks `t`, with their relations where the dialect reads them so. */
function selectPage(dialect: SqlDialect): string {
  return pageCarriesRelations(dialect) ? selectWithRelations(dialect) : SELECT_PAGE_COLUMNS;
}

/**
 * One page of tasks (with their relations on PostgreSQL, see pageCarriesRelations), else their own columns only:
 * filters, keyset condition, order, LIMIT, OFFSET. On SQLite their names, project
 * keys, labels and comment counts are then read for the whole page at once (pageRelationStatements): as per-row
 * subqueries they cost more than the page itself (bench/analysis.md, issue 21 section E). Nothing is joined to the page, so nothing
 * changes the plan that picks its rows; a join could, once PostgreSQL plans the prepared statement for any LIMIT
 * (bench/analysis.md).
 */
export function taskPageStatement(dialect: SqlDialect, page: TaskPageRequest): SqlStatement {
  if (page.sort === TaskSortKey.CreatedAt && page.filters.labelIds?.length) return labelPageStatement(dialect, page);
  const outer = pageCarriesRelations(dialect);
  const sql = new SqlBuilder(dialect).add(outer ? `${selectWithRelations(dialect)} (SELECT ${TASK_COLUMNS} FROM tasks` : `SELECT ${TASK_COLUMNS} FROM tasks`);
  const conditions: string[] = [];
  addFilters(sql, page.filters, conditions);
  if (page.cursor) {
    const [condition, values] = keysetCondition(page.cursor);
    sql.add(`${conditions.length === 0 ? 'WHERE' : 'AND'} ${condition}`, ...values);
  }
  if (!outer) return sql.add(`${orderBy(page.sort, page.order)} LIMIT ? OFFSET ?`, page.limit, page.skip).build();
  // The relations are subqueries of an outer query on the page's rows only: they never change the plan that picks them.
  sql.add(`${orderBy(page.sort, page.order)} LIMIT ? OFFSET ?) t`, page.limit, page.skip);
  return sql.add(orderBy(page.sort, page.order, 't.')).build();
}

/**
 * A page of one label's tasks in creation order, walked along the label's index (label_id, task_created_at,
 * task_id, task_project_id), whose order is the list's, so that a page reads about as many rows as it shows
 * instead of every task the label carries. The first label drives; any others are conditions. With no filter
 * but labels and a project, the page's ids come from the index alone (the project is in it too) and the page's
 * tasks are joined to them in the index's order (`id IN (...)` made PostgreSQL de-duplicate the ids and read the
 * tasks in hash order: 40 % more time than the unfiltered page at 1,000,000 tasks, bench/analysis.md); with other
 * filters, the label's rows are joined to their tasks in the same order.
 */
function labelPageStatement(dialect: SqlDialect, page: TaskPageRequest): SqlStatement {
  const [first, ...others] = page.filters.labelIds!;
  const { projectId, labelIds: _labels, ...rest } = page.filters;
  const direction = page.order === SortOrder.Desc ? 'DESC' : 'ASC';
  const sql = new SqlBuilder(dialect);
  const onlyLabels = Object.values(rest).every((value) => value === undefined);
  if (onlyLabels) {
    sql.add(`${selectPage(dialect)} (SELECT tl.task_id, tl.task_created_at FROM task_labels tl WHERE tl.label_id = ?`, first);
    if (projectId !== undefined) sql.add('AND tl.task_project_id = ?', projectId);
    else sql.add('AND tl.task_project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE)');
    for (const labelId of others) sql.add('AND tl.task_id IN (SELECT other.task_id FROM task_labels other WHERE other.label_id = ?)', labelId);
  } else {
    sql.add(`${selectPage(dialect)} (SELECT ${TASK_COLUMNS} FROM task_labels tl JOIN tasks ON tasks.id = tl.task_id AND tl.label_id = ?`, first);
    addFilters(sql, { ...page.filters, labelIds: others }, []);
  }
  // Either way a condition is already there (the project's, or the archived projects' exclusion).
  if (page.cursor) sql.add(`AND (tl.task_created_at, tl.task_id) ${direction === 'DESC' ? '<' : '>'} (?, ?)`, cursorValue(page.cursor), page.cursor.id);
  sql.add(`ORDER BY tl.task_created_at ${direction}, tl.task_id ${direction} LIMIT ? OFFSET ?)`, page.limit, page.skip);
  // PostgreSQL finds the page's tasks through their creation-time index: the few leaf pages of the label's range
  // of creation times, where the primary key's would be one random leaf per task (bench/analysis.md).
  const byCreation = dialect === 'postgres' ? 't.created_at = page.task_created_at AND ' : '';
  sql.add(onlyLabels ? `page JOIN tasks t ON ${byCreation}t.id = page.task_id` : 't');
  return sql.add(orderBy(page.sort, page.order, 't.')).build();
}

export function taskByIdStatement(dialect: SqlDialect, id: string): SqlStatement {
  return taskStatement(dialect, { id });
}

/** A task named by its id, or by a key it has or had (`TF-12`, parsed). */
export type TaskRef = { id: string } | { projectKey: string; number: number };

/** What a write reads with its task, so that the read before it is one statement. */
export interface TaskWriteReads {
  /** The ids of the users watching the task (`watcher_ids`). */
  watchers?: boolean;
  /** Whether its project is archived (`project_archived`). */
  projectArchived?: boolean;
}

/** What the extras of TaskWriteReads add to a TaskRow. */
export interface TaskWriteRow extends TaskRow {
  /** An array on PostgreSQL (null for none), a JSON array's text on SQLite. */
  watcher_ids?: string[] | string | null;
  /** A boolean on PostgreSQL, 0 or 1 on SQLite. */
  project_archived?: boolean | number;
}

/**
 * The task with its relations (TaskRow), by id or by key, with what a write needs besides: the key is resolved
 * and the watchers read in the same statement, each a round trip less than statements of their own.
 */
export function taskStatement(dialect: SqlDialect, ref: TaskRef, reads: TaskWriteReads = {}): SqlStatement {
  const extras: string[] = [];
  if (reads.watchers) {
    const ids = dialect === 'postgres' ? 'array_agg(w.user_id)' : 'json_group_array(w.user_id)';
    extras.push(`(SELECT ${ids} FROM task_watchers w WHERE w.task_id = t.id AND w.watching = TRUE) AS watcher_ids`);
  }
  if (reads.projectArchived) extras.push('(SELECT archived FROM projects WHERE projects.id = t.project_id) AS project_archived');
  const sql = new SqlBuilder(dialect).add([selectColumnsWithRelations(dialect), ...extras].join(', '));
  if ('id' in ref) return sql.add('FROM tasks t WHERE t.id = ?', ref.id).build();
  // Old keys of moved tasks included (task_keys keeps every key a task was given; its primary key is the pair).
  return sql
    .add('FROM tasks t WHERE t.id = (SELECT k.task_id FROM task_keys k JOIN projects p ON p.id = k.project_id WHERE p.key = ? AND k.number = ?)', ref.projectKey, ref.number)
    .build();
}

/** The watcher ids of a TaskWriteRow read with them. */
export function watcherIdsOf(row: TaskWriteRow): string[] {
  const ids = row.watcher_ids ?? [];
  return typeof ids === 'string' ? (JSON.parse(ids) as string[]) : ids;
}

/** Whether the counters (task_counts) answer for these filters: none other than project, status and priority. */
export function countedByCounters(filters: TaskFilters): boolean {
  return [filters.assignee, filters.q, filters.due_before, filters.due_after, filters.labelIds, filters.assigneeId].every((value) => value === undefined);
}

/**
 * The counter table that answers a count filtered by one label or by one member assignee (and at most a project):
 * task_label_counts and task_assignee_counts, kept per project by triggers (AddLabelAndAssigneeCounts).
 */
function countedByFacetCounters(filters: TaskFilters): { table: string; column: string; value: string } | undefined {
  const others = [filters.status, filters.priority, filters.assignee, filters.q, filters.due_before, filters.due_after];
  if (others.some((value) => value !== undefined)) return undefined;
  const labels = filters.labelIds ?? [];
  if (labels.length === 1 && filters.assigneeId === undefined) return { table: 'task_label_counts', column: 'label_id', value: labels[0] };
  if (labels.length === 0 && typeof filters.assigneeId === 'string') return { table: 'task_assignee_counts', column: 'assignee_id', value: filters.assigneeId };
  return undefined;
}

/** The project condition on a counter table: the project named, or every project not archived. */
function counterScope(sql: SqlBuilder, filters: TaskFilters): void {
  if (filters.projectId !== undefined) sql.add('WHERE project_id = ?', filters.projectId);
  else sql.add(`WHERE ${NOT_ARCHIVED}`);
}

/** The number of tasks matching the filters, as one row `{ total }`: from the counters when they can answer. */
export function taskCountStatement(dialect: SqlDialect, filters: TaskFilters): SqlStatement {
  const facet = countedByFacetCounters(filters);
  if (facet) {
    const sql = new SqlBuilder(dialect).add(`SELECT COALESCE(SUM(count), 0) AS total FROM ${facet.table}`);
    counterScope(sql, filters);
    return sql.add(`AND ${facet.column} = ?`, facet.value).build();
  }
  if (countedByCounters(filters)) {
    const sql = new SqlBuilder(dialect).add('SELECT COALESCE(SUM(count), 0) AS total FROM task_counts');
    counterScope(sql, filters);
    if (filters.status !== undefined) sql.add('AND status = ?', filters.status);
    if (filters.priority !== undefined) sql.add('AND priority = ?', filters.priority);
    return sql.build();
  }
  const sql = new SqlBuilder(dialect).add('SELECT COUNT(*) AS total FROM tasks');
  addFilters(sql, filters, []);
  return sql.build();
}

/** Tasks per (status, priority) matching the filters: summed over the counter rows when they can answer. */
export function countsByStatusAndPriorityStatement(dialect: SqlDialect, filters: TaskFilters): SqlStatement {
  if (countedByCounters(filters)) {
    const sql = new SqlBuilder(dialect).add('SELECT status, priority, SUM(count) AS count FROM task_counts');
    counterScope(sql, filters);
    if (filters.status !== undefined) sql.add('AND status = ?', filters.status);
    if (filters.priority !== undefined) sql.add('AND priority = ?', filters.priority);
    return sql.add('GROUP BY status, priority').build();
  }
  const sql = new SqlBuilder(dialect).add('SELECT status, priority, COUNT(*) AS count FROM tasks');
  addFilters(sql, filters, []);
  return sql.add('GROUP BY status, priority').build();
}

/**
 * Open tasks matching the filters that are due before `now`. With no filter but project and status: whole past days
 * from the task_due_days counters plus today's from the index; otherwise one count over the matching tasks.
 */
export function overdueStatements(dialect: SqlDialect, now: Date, filters: TaskFilters = {}): SqlStatement[] {
  const byDays = countedByCounters(filters) && filters.priority === undefined;
  if (!byDays) {
    const sql = new SqlBuilder(dialect).add('SELECT COUNT(*) AS total FROM tasks');
    const conditions: string[] = [];
    addFilters(sql, filters, conditions);
    sql.add(`${conditions.length === 0 ? 'WHERE' : 'AND'} due_date < ? AND status <> 'done'`, now);
    return [sql.build()];
  }
  if (filters.status === 'done') return [];
  const today = now.toISOString().slice(0, 10);
  const pastDays = new SqlBuilder(dialect).add('SELECT COALESCE(SUM(count), 0) AS total FROM task_due_days');
  counterScope(pastDays, filters);
  const earlierToday = new SqlBuilder(dialect).add('SELECT COUNT(*) AS total FROM tasks');
  counterScope(earlierToday, filters);
  return [
    pastDays.add('AND day < ?', today).build(),
    earlierToday.add("AND due_date >= ? AND due_date < ? AND status <> 'done'", new Date(`${today}T00:00:00.000Z`), now).build(),
  ];
}

/** A date column as the driver returns it (a Date from pg, UTC text from SQLite) as a Date. */
function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}

type Relations = Pick<Task, 'createdBy' | 'updatedBy' | 'projectKey' | 'assigneeUser' | 'labels' | 'commentCount'>;

/** The Task of a row's own columns and the relations read beside them. */
function taskFromColumns(row: TaskColumnsRow, relations: Relations): Task {
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
    createdBy: relations.createdBy,
    updatedBy: relations.updatedBy,
    projectId: row.project_id,
    number: Number(row.number),
    projectKey: relations.projectKey,
    assigneeId: row.assignee_id,
    assigneeUser: relations.assigneeUser,
    labels: relations.labels,
    commentCount: relations.commentCount,
  } as Task;
}

/** The Task the statement by id's row describes, authors included (see TaskRow). */
export function taskFromRow(row: TaskRow): Task {
  return taskFromColumns(row, {
    createdBy: row.created_by_id !== null && row.created_by_name !== null ? { id: row.created_by_id, name: row.created_by_name } : null,
    updatedBy: row.updated_by_id !== null && row.updated_by_name !== null ? { id: row.updated_by_id, name: row.updated_by_name } : null,
    projectKey: row.project_key,
    assigneeUser: row.assignee_id !== null && row.assignee_name !== null ? { id: row.assignee_id, name: row.assignee_name } : null,
    labels: typeof row.labels === 'string' ? (JSON.parse(row.labels) as TaskLabel[]) : (row.labels ?? []),
    commentCount: Number(row.comment_count),
  });
}

/** The statements that read the relations of a page's tasks, one per kind for the whole page. */
export interface PageRelationStatements {
  /** Absent when no task of the page has an author or a member assignee (AUTH_MODE=off). */
  users?: SqlStatement;
  projects: SqlStatement;
  labels: SqlStatement;
  commentCounts: SqlStatement;
}

/** What the statements of PageRelationStatements return. */
export interface PageRelationRows {
  users: Array<{ id: string; name: string }>;
  projects: Array<{ id: string; key: string }>;
  /** Ordered by label name, then id: each task's labels in the order a task shows them. */
  labels: Array<{ task_id: string; id: string; name: string; color: string }>;
  /** Tasks without comments have no row. */
  commentCounts: Array<{ task_id: string; count: number | string }>;
}

/**
 * `column` among a list of ids bound as one parameter: an array on PostgreSQL, a JSON array on SQLite. The text
 * is the same for any number of ids, so each statement is prepared once.
 */
function amongIds(sql: SqlBuilder, dialect: SqlDialect, column: string, ids: string[]): SqlBuilder {
  return dialect === 'postgres'
    ? sql.add(`${column} = ANY(?)`, ids)
    : sql.add(`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(ids));
}

/** The names, project keys, labels and comment counts of a page's tasks (rows of taskPageStatement, not empty). */
export function pageRelationStatements(dialect: SqlDialect, rows: TaskColumnsRow[]): PageRelationStatements {
  const taskIds = rows.map((row) => row.id);
  const userIds = new Set<string>();
  for (const row of rows) {
    for (const id of [row.created_by_id, row.updated_by_id, row.assignee_id]) if (id !== null) userIds.add(id);
  }
  const projectIds = [...new Set(rows.map((row) => row.project_id))];
  const statement = (text: string, column: string, ids: string[], after = '') => {
    const sql = amongIds(new SqlBuilder(dialect).add(text), dialect, column, ids);
    return (after === '' ? sql : sql.add(after)).build();
  };
  return {
    ...(userIds.size > 0 && { users: statement('SELECT id, name FROM users WHERE', 'id', [...userIds]) }),
    projects: statement('SELECT id, key FROM projects WHERE', 'id', projectIds),
    labels: statement(
      'SELECT tl.task_id, l.id, l.name, l.color FROM task_labels tl JOIN labels l ON l.id = tl.label_id WHERE',
      'tl.task_id',
      taskIds,
      'ORDER BY l.name, l.id',
    ),
    commentCounts: statement('SELECT task_id, COUNT(*) AS count FROM comments WHERE', 'task_id', taskIds, 'GROUP BY task_id'),
  };
}

/** The Tasks of a page's rows, with the relations read by pageRelationStatements. */
export function tasksWithRelations(rows: TaskColumnsRow[], relations: PageRelationRows): Task[] {
  const names = new Map(relations.users.map((user) => [user.id, user.name]));
  const keys = new Map(relations.projects.map((project) => [project.id, project.key]));
  const counts = new Map(relations.commentCounts.map((row) => [row.task_id, Number(row.count)]));
  const labels = new Map<string, TaskLabel[]>();
  for (const { task_id: taskId, id, name, color } of relations.labels) {
    const ofTask = labels.get(taskId);
    if (ofTask === undefined) labels.set(taskId, [{ id, name, color }]);
    else ofTask.push({ id, name, color });
  }
  // A user deleted since is shown as no one, as the statement by id shows it.
  const user = (id: string | null) => {
    if (id === null) return null;
    const name = names.get(id);
    return name === undefined ? null : { id, name };
  };
  return rows.map((row) =>
    taskFromColumns(row, {
      createdBy: user(row.created_by_id),
      updatedBy: user(row.updated_by_id),
      projectKey: keys.get(row.project_id)!,
      assigneeUser: user(row.assignee_id),
      labels: labels.get(row.id) ?? [],
      commentCount: counts.get(row.id) ?? 0,
    }),
  );
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
    [TaskSortKey.Key]: `${task.projectKey}-${task.number}`,
  };
  return encodeTaskCursor({ sort, order, value: values[sort], id: task.id });
}
