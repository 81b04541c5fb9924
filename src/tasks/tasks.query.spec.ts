import { DataSource, Repository } from 'typeorm';
import { buildDataSourceOptions } from '../database/data-source.options';
import { User } from '../users/user.entity';
import { TaskFiltersDto } from './dto/list-tasks-query.dto';
import { decodeTaskCursor } from './task-cursor';
import { foldForSearch, Task } from './task.entity';
import { SortOrder, TaskPriority, TaskSortKey, TaskStatus } from './task.enums';
import {
  cursorAfter,
  escapeLike,
  PageRelationRows,
  pageRelationStatements,
  SqlStatement,
  TaskColumnsRow,
  taskCountStatement,
  taskFromRow,
  TaskPageRequest,
  taskByIdStatement,
  taskPageStatement,
  pageCarriesRelations,
  TaskRow,
  tasksWithRelations,
  taskStatement,
  TaskWriteRow,
  watcherIdsOf,
} from './tasks.query';

const PRIORITY_RANK = "(CASE priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)";
const STATUS_RANK = "(CASE status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END)";

/** Ids whose text order is their number, so the expected tie order can be read from the number. */
function id(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

describe(escapeLike.name, () => {
  it.each([
    ['plain text unchanged', 'demo', 'demo'],
    ['a percent sign', '50%', '50\\%'],
    ['an underscore', 'snake_case', 'snake\\_case'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['every wildcard, each escaped once', '%_\\%', '\\%\\_\\\\\\%'],
  ])('escapes %s', (_, text, expected) => {
    expect(escapeLike(text)).toBe(expected);
  });
});

describe('task read statements on SQLite', () => {
  let dataSource: DataSource;
  let tasks: Repository<Task>;
  let defaultProjectId: string;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Task, User],
      migrations: buildDataSourceOptions('sqlite::memory:').migrations,
      migrationsRun: true,
    });
    await dataSource.initialize();
    tasks = dataSource.getRepository(Task);
    [{ id: defaultProjectId }] = await dataSource.query<Array<{ id: string }>>('SELECT id FROM projects WHERE is_default = 1');
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  beforeEach(async () => {
    await tasks.clear();
  });

  async function insert(n: number, fields: Partial<Task> = {}): Promise<void> {
    const title = fields.title ?? `Task ${n}`;
    const description = fields.description ?? null;
    await tasks.insert({
      id: id(n),
      status: TaskStatus.Todo,
      priority: TaskPriority.Medium,
      assignee: null,
      dueDate: null,
      createdAt: new Date('2026-11-01T00:00:00.000Z'),
      updatedAt: new Date('2026-11-01T00:00:00.000Z'),
      projectId: defaultProjectId,
      number: n,
      ...fields,
      title,
      description,
      searchTitle: foldForSearch(title),
      searchDescription: description === null ? null : foldForSearch(description),
    });
  }

  const run = (statement: SqlStatement) => dataSource.query<TaskRow[]>(statement.sql, statement.params);
  /** The Tasks of a page's rows, with their relations read as the service reads them. */
  async function withRelations(rows: TaskColumnsRow[]): Promise<Task[]> {
    const statements = pageRelationStatements('sqlite', rows);
    const read = <T>(statement: SqlStatement | undefined) => (statement === undefined ? [] : dataSource.query<T[]>(statement.sql, statement.params));
    return tasksWithRelations(rows, {
      users: await read<PageRelationRows['users'][number]>(statements.users),
      projects: await read<PageRelationRows['projects'][number]>(statements.projects),
      labels: await read<PageRelationRows['labels'][number]>(statements.labels),
      commentCounts: await read<PageRelationRows['commentCounts'][number]>(statements.commentCounts),
    });
  }
  const numbers = (rows: TaskRow[]) => rows.map((row) => Number(row.id.slice(-12)));
  const page = (request: Partial<TaskPageRequest>) =>
    taskPageStatement('sqlite', { filters: {}, sort: TaskSortKey.CreatedAt, order: SortOrder.Asc, skip: 0, limit: 100, ...request });

  /** The numbers of the tasks a sorted page returns, in order. */
  async function sortedIds(sort = TaskSortKey.CreatedAt, order = SortOrder.Asc): Promise<number[]> {
    return numbers(await run(page({ sort, order })));
  }

  /** The numbers of the tasks matching the filters; they all share created_at, so they come in id order. */
  async function filteredIds(filters: TaskFiltersDto): Promise<number[]> {
    const ids = numbers(await run(page({ filters })));
    const [{ total }] = await dataSource.query<{ total: number }[]>(taskCountStatement('sqlite', filters).sql, taskCountStatement('sqlite', filters).params);
    expect(Number(total)).toBe(ids.length);
    return ids;
  }

  describe('the page statement', () => {
    describe('generated SQL', () => {
      it('orders by created_at then id, ascending, by default, and selects the task columns only', () => {
        const { sql } = page({});
        expect(sql).toMatch(/^SELECT id, .*, updated_by_id, project_id, number, assignee_id FROM tasks /);
        // Without a project filter, tasks of archived projects are left out.
        expect(sql).toMatch(/ FROM tasks WHERE project_id NOT IN \(SELECT id FROM projects WHERE archived = TRUE\) ORDER BY created_at ASC, id ASC LIMIT \? OFFSET \?$/);
      });

      it('orders by the priority rank, the expression the migration indexes, then id in the same direction', () => {
        expect(page({ sort: TaskSortKey.Priority, order: SortOrder.Desc }).sql).toContain(`ORDER BY ${PRIORITY_RANK} DESC, id DESC LIMIT`);
      });

      it('orders by the status rank then id', () => {
        expect(page({ sort: TaskSortKey.Status }).sql).toContain(`ORDER BY ${STATUS_RANK} ASC, id ASC LIMIT`);
      });

      it.each([SortOrder.Asc, SortOrder.Desc])('puts tasks without a due date last when ordering due_date %s', (order) => {
        const direction = order.toUpperCase();
        expect(page({ sort: TaskSortKey.DueDate, order }).sql).toContain(`ORDER BY due_date ${direction} NULLS LAST, id ${direction} LIMIT`);
      });

      it('adds NULLS LAST only to due_date, the one nullable sort key', () => {
        const { sql } = page({ sort: TaskSortKey.Title, order: SortOrder.Desc });
        expect(sql).toContain('ORDER BY title DESC, id DESC LIMIT');
        expect(sql).not.toContain('NULLS');
      });

      it('numbers the placeholders for PostgreSQL', () => {
        const { sql, params } = taskPageStatement('postgres', {
          filters: { status: TaskStatus.Done }, sort: TaskSortKey.CreatedAt, order: SortOrder.Asc, skip: 5, limit: 10,
        });
        expect(sql).toMatch(/ AND status = \$1 ORDER BY created_at ASC, id ASC LIMIT \$2 OFFSET \$3\) t ORDER BY t\.created_at ASC, t\.id ASC$/);
        expect(params).toEqual(['done', 10, 5]);
      });

      it('carries the relations on PostgreSQL only, as subqueries of an outer query on the page', () => {
        const request = { filters: {}, sort: TaskSortKey.CreatedAt, order: SortOrder.Asc, skip: 0, limit: 10 };
        expect(taskPageStatement('postgres', request).sql).toMatch(/^SELECT t\.id, .* AS comment_count FROM \(SELECT id, .* LIMIT \$1 OFFSET \$2\) t ORDER BY/);
        expect(taskPageStatement('sqlite', request).sql).not.toContain('comment_count');
        expect(pageCarriesRelations('postgres')).toBe(true);
        expect(pageCarriesRelations('sqlite')).toBe(false);
      });
    });

    describe('rows it returns', () => {
      beforeEach(async () => {
        // Inserted out of id order, so a tie broken by insertion order would show.
        await insert(4, { title: 'delta', priority: TaskPriority.Low, status: TaskStatus.Todo });
        await insert(2, {
          title: 'bravo',
          priority: TaskPriority.Low,
          status: TaskStatus.InProgress,
          createdAt: new Date('2026-11-02T00:00:00.000Z'),
        });
        await insert(5, {
          title: 'Echo',
          priority: TaskPriority.High,
          status: TaskStatus.InProgress,
          dueDate: new Date('2026-12-02T12:00:00.000Z'),
          createdAt: new Date('2026-11-02T00:00:00.000Z'),
        });
        await insert(1, {
          title: 'Alpha',
          priority: TaskPriority.High,
          status: TaskStatus.Done,
          dueDate: new Date('2026-12-03T00:00:00.000Z'),
          createdAt: new Date('2026-10-31T23:59:59.999Z'),
        });
        await insert(3, {
          title: 'Charlie',
          priority: TaskPriority.Medium,
          status: TaskStatus.Todo,
          dueDate: new Date('2026-12-01T00:00:00.000Z'),
        });
      });

      it('sorts priority by meaning (low < medium < high), not alphabetically, ties by id', async () => {
        await expect(sortedIds(TaskSortKey.Priority, SortOrder.Asc)).resolves.toEqual([2, 4, 3, 1, 5]);
      });

      it('sorts priority descending with ties by id descending', async () => {
        await expect(sortedIds(TaskSortKey.Priority, SortOrder.Desc)).resolves.toEqual([5, 1, 3, 4, 2]);
      });

      it('sorts status by workflow (todo < in_progress < done), ties by id', async () => {
        await expect(sortedIds(TaskSortKey.Status, SortOrder.Asc)).resolves.toEqual([3, 4, 2, 5, 1]);
      });

      it('sorts status descending with ties by id descending', async () => {
        await expect(sortedIds(TaskSortKey.Status, SortOrder.Desc)).resolves.toEqual([1, 5, 2, 4, 3]);
      });

      it('puts tasks without a due date last in ascending order, ties by id', async () => {
        await expect(sortedIds(TaskSortKey.DueDate, SortOrder.Asc)).resolves.toEqual([3, 5, 1, 2, 4]);
      });

      it('puts tasks without a due date last in descending order too, ties by id descending', async () => {
        await expect(sortedIds(TaskSortKey.DueDate, SortOrder.Desc)).resolves.toEqual([1, 5, 3, 4, 2]);
      });

      it('sorts by created_at ascending by default, ties by id', async () => {
        await expect(sortedIds()).resolves.toEqual([1, 3, 4, 2, 5]);
      });

      it('sorts by created_at descending with ties by id descending', async () => {
        await expect(sortedIds(TaskSortKey.CreatedAt, SortOrder.Desc)).resolves.toEqual([5, 2, 4, 3, 1]);
      });

      it('sorts by title in the database text order, where capitals come first on SQLite', async () => {
        await expect(sortedIds(TaskSortKey.Title, SortOrder.Asc)).resolves.toEqual([1, 3, 5, 2, 4]);
      });

      it('skips and limits after sorting', async () => {
        await expect(run(page({ skip: 1, limit: 2 })).then(numbers)).resolves.toEqual([3, 4]);
      });

      const orders = Object.values(TaskSortKey).flatMap((sort) => Object.values(SortOrder).map((order) => [sort, order] as const));
      it.each(orders)('walks the same order by cursor as by skip, two at a time, sorting by %s %s', async (sort, order) => {
        const walked: number[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const rows = await run(page({ sort, order, limit: 2, cursor: cursor === undefined ? undefined : decodeTaskCursor(cursor)! }));
          walked.push(...numbers(rows));
          if (rows.length < 2) break;
          const [last] = await withRelations([rows[rows.length - 1]!]);
          cursor = cursorAfter(last!, sort, order);
        }
        await expect(sortedIds(sort, order)).resolves.toEqual(walked);
      });
    });
  });

  describe('the relations of a page', () => {
    const columns = (n: number, fields: Partial<TaskColumnsRow> = {}): TaskColumnsRow => ({
      id: id(n),
      title: `Task ${n}`,
      description: null,
      status: TaskStatus.Todo,
      priority: TaskPriority.Medium,
      assignee: null,
      due_date: null,
      created_at: '2026-11-01 00:00:00.000',
      updated_at: '2026-11-01 00:00:00.000',
      created_by_id: null,
      updated_by_id: null,
      project_id: defaultProjectId,
      number: n,
      assignee_id: null,
      ...fields,
    });

    describe('generated SQL', () => {
      it('reads each kind for the whole page with one parameter, whose text is the same for any number of ids', () => {
        const one = pageRelationStatements('postgres', [columns(1, { assignee_id: id(90) })]);
        const two = pageRelationStatements('postgres', [columns(1, { created_by_id: id(91) }), columns(2, { assignee_id: id(90), project_id: id(80) })]);
        expect(two.users).toEqual({ sql: 'SELECT id, name FROM users WHERE id = ANY($1)', params: [[id(91), id(90)]] });
        expect(two.projects).toEqual({ sql: 'SELECT id, key FROM projects WHERE id = ANY($1)', params: [[defaultProjectId, id(80)]] });
        expect(two.labels).toEqual({
          sql: 'SELECT tl.task_id, l.id, l.name, l.color FROM task_labels tl JOIN labels l ON l.id = tl.label_id WHERE tl.task_id = ANY($1) ORDER BY l.name, l.id',
          params: [[id(1), id(2)]],
        });
        expect(two.commentCounts).toEqual({ sql: 'SELECT task_id, COUNT(*) AS count FROM comments WHERE task_id = ANY($1) GROUP BY task_id', params: [[id(1), id(2)]] });
        for (const kind of ['users', 'projects', 'labels', 'commentCounts'] as const) expect(one[kind]!.sql).toBe(two[kind]!.sql);
      });

      it('binds the ids as a JSON array read by json_each on SQLite', () => {
        const { commentCounts } = pageRelationStatements('sqlite', [columns(1), columns(2)]);
        expect(commentCounts).toEqual({
          sql: 'SELECT task_id, COUNT(*) AS count FROM comments WHERE task_id IN (SELECT value FROM json_each(?)) GROUP BY task_id',
          params: [JSON.stringify([id(1), id(2)])],
        });
      });

      it('reads no users when no task has an author or a member assignee (AUTH_MODE=off)', () => {
        expect(pageRelationStatements('sqlite', [columns(1), columns(2)]).users).toBeUndefined();
      });
    });

    describe('tasks it assembles', () => {
      const now = '2026-11-01 00:00:00.000';
      const user = (n: number, name: string) =>
        dataSource.query(
          "INSERT INTO users (id, email, email_key, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'member', 'x', ?, ?)",
          [id(n), `u${n}@example.com`, `u${n}@example.com`, name, now, now],
        );
      const label = (n: number, name: string) =>
        dataSource.query('INSERT INTO labels (id, name, name_folded, color, created_at) VALUES (?, ?, ?, ?, ?)', [id(n), name, name.toLowerCase(), '#123456', now]);
      const tag = (task: number, labelId: number) =>
        dataSource.query('INSERT INTO task_labels (task_id, label_id, task_project_id, task_created_at) VALUES (?, ?, ?, ?)', [id(task), id(labelId), defaultProjectId, now]);
      const comment = (n: number, task: number, author: number) =>
        dataSource.query('INSERT INTO comments (id, task_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)', [id(n), id(task), id(author), 'hi', now]);

      beforeEach(async () => {
        await dataSource.query('DELETE FROM comments');
        await dataSource.query('DELETE FROM task_labels');
        await dataSource.query('DELETE FROM labels');
        await tasks.clear();
        await dataSource.query('DELETE FROM users');
      });

      it('gives each task what the statement by id gives it: names, project key, labels by name then id, comment count', async () => {
        await user(90, 'Alice');
        await user(91, 'Bob');
        await insert(1, { createdById: id(90), updatedById: id(91), assigneeId: id(91) });
        await insert(2, { createdById: id(91), updatedById: id(91) });
        await insert(3);
        // Neither in id nor in insertion order by name.
        await label(70, 'zeta');
        await label(72, 'alpha');
        await label(71, 'beta');
        for (const labelId of [70, 72, 71]) await tag(1, labelId);
        await tag(3, 70);
        await comment(60, 1, 90);
        await comment(61, 1, 91);
        await comment(62, 3, 90);

        const rows = await run(page({}));
        const paged = await withRelations(rows);
        const byId = await Promise.all(rows.map(async (row) => taskFromRow((await run(taskByIdStatement('sqlite', row.id)))[0]!)));
        expect(paged).toEqual(byId);
        expect(paged.map((task) => [task.createdBy?.name ?? null, task.updatedBy?.name ?? null, task.assigneeUser?.name ?? null])).toEqual([
          ['Alice', 'Bob', 'Bob'],
          ['Bob', 'Bob', null],
          [null, null, null],
        ]);
        expect(paged[0]!.labels).toEqual([
          { id: id(72), name: 'alpha', color: '#123456' },
          { id: id(71), name: 'beta', color: '#123456' },
          { id: id(70), name: 'zeta', color: '#123456' },
        ]);
        expect(paged.map((task) => [task.labels!.length, task.commentCount, task.projectKey])).toEqual([
          [3, 2, 'TF'],
          [0, 0, 'TF'],
          [1, 1, 'TF'],
        ]);
      });

      it('shows an author whose user is gone as no one, as the statement by id does', () => {
        const [task] = tasksWithRelations([columns(1, { created_by_id: id(90) })], { users: [], projects: [{ id: defaultProjectId, key: 'TF' }], labels: [], commentCounts: [] });
        expect(task!.createdBy).toBeNull();
        expect(task!.createdById).toBe(id(90));
      });

      it('finds a task by any key it has had, with its watchers and its project\'s archived flag when a write asks', async () => {
        await dataSource.query('DELETE FROM task_watchers');
        await dataSource.query('DELETE FROM task_keys');
        await user(90, 'Alice');
        await user(91, 'Bob');
        await insert(1);
        await insert(2);
        // Task 1 had the key TF-9 before it became TF-1.
        await dataSource.query('INSERT INTO task_keys (project_id, number, task_id) VALUES (?, 1, ?), (?, 9, ?)', [defaultProjectId, id(1), defaultProjectId, id(1)]);
        await dataSource.query('INSERT INTO task_watchers (task_id, user_id, watching) VALUES (?, ?, 1), (?, ?, 0)', [id(1), id(90), id(1), id(91)]);
        const read = (statement: SqlStatement) => dataSource.query<TaskWriteRow[]>(statement.sql, statement.params);

        for (const number of [1, 9]) {
          const [row] = await read(taskStatement('sqlite', { projectKey: 'TF', number }, { watchers: true, projectArchived: true }));
          expect([row!.id, watcherIdsOf(row!), row!.project_archived]).toEqual([id(1), [id(90)], 0]);
        }
        expect(await read(taskStatement('sqlite', { projectKey: 'TF', number: 2 }))).toEqual([]);
        const [unwatched] = await read(taskStatement('sqlite', { id: id(2) }, { watchers: true }));
        expect(watcherIdsOf(unwatched!)).toEqual([]);
        // Without the extras, the statement by id's row exactly.
        expect(await read(taskStatement('sqlite', { projectKey: 'TF', number: 1 }))).toEqual(await run(taskByIdStatement('sqlite', id(1))));
        await dataSource.query('DELETE FROM task_watchers');
        await dataSource.query('DELETE FROM task_keys');
      });
    });
  });

  describe('filters', () => {
    describe('generated SQL', () => {
      it('adds only the archived-project exclusion without filters', () => {
        const { sql, params } = taskCountStatement('sqlite', { assignee: undefined });
        expect(sql).toBe('SELECT COALESCE(SUM(count), 0) AS total FROM task_counts WHERE project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE)');
        expect(params).toEqual([]);
      });

      it('combines the filters with AND and binds their values as parameters', () => {
        const { sql, params } = page({ filters: { status: TaskStatus.Done, priority: TaskPriority.High, assignee: "o'brien" } });
        expect(sql).toContain('WHERE project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE) AND status = ? AND priority = ? AND assignee = ?');
        expect(params).toEqual(['done', 'high', "o'brien", 100, 0]);
      });

      it('counts status and priority from the counters, anything else from the tasks', () => {
        expect(taskCountStatement('sqlite', { status: TaskStatus.Done, priority: TaskPriority.High }).sql)
          .toBe('SELECT COALESCE(SUM(count), 0) AS total FROM task_counts WHERE project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE) AND status = ? AND priority = ?');
        expect(taskCountStatement('sqlite', { status: TaskStatus.Done, assignee: 'alice' }).sql)
          .toBe('SELECT COUNT(*) AS total FROM tasks WHERE project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE) AND status = ? AND assignee = ?');
      });

      it('counts one label or one member assignee (and at most a project) from their counters', () => {
        const label = taskCountStatement('postgres', { labelIds: ['L1'], projectId: 'P1' });
        expect(label.sql).toBe('SELECT COALESCE(SUM(count), 0) AS total FROM task_label_counts WHERE project_id = $1 AND label_id = $2');
        expect(label.params).toEqual(['P1', 'L1']);
        expect(taskCountStatement('sqlite', { assigneeId: 'U1' }).sql)
          .toBe('SELECT COALESCE(SUM(count), 0) AS total FROM task_assignee_counts WHERE project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE) AND assignee_id = ?');
        // Two labels, no member assignee (`none`), or another filter beside them: counted from the tasks.
        for (const filters of [{ labelIds: ['L1', 'L2'] }, { assigneeId: null }, { labelIds: ['L1'], status: TaskStatus.Done }, { labelIds: ['L1'], assigneeId: 'U1' }]) {
          expect(taskCountStatement('sqlite', filters).sql).toMatch(/^SELECT COUNT\(\*\) AS total FROM tasks /);
        }
      });

      it('pages a label in creation order along its own index, other labels as conditions', () => {
        const { sql, params } = page({ filters: { labelIds: ['L1', 'L2'] }, order: SortOrder.Desc });
        expect(sql).toContain(
          'FROM (SELECT tl.task_id, tl.task_created_at FROM task_labels tl WHERE tl.label_id = ? AND tl.task_project_id NOT IN (SELECT id FROM projects WHERE archived = TRUE) ' +
            'AND tl.task_id IN (SELECT other.task_id FROM task_labels other WHERE other.label_id = ?) ORDER BY tl.task_created_at DESC, tl.task_id DESC LIMIT ? OFFSET ?) ' +
            'page JOIN tasks t ON t.id = page.task_id ORDER BY t.created_at DESC, t.id DESC',
        );
        expect(params).toEqual(['L1', 'L2', 100, 0]);
        // PostgreSQL reaches the tasks through their creation-time index (the label row keeps the task's creation time).
        expect(taskPageStatement('postgres', { filters: { labelIds: ['L1'] }, sort: TaskSortKey.CreatedAt, order: SortOrder.Asc, skip: 0, limit: 51 }).sql).toContain(
          'page JOIN tasks t ON t.created_at = page.task_created_at AND t.id = page.task_id',
        );
        // With another filter, the label's rows are joined to their tasks, still in the index's order.
        const filtered = page({ filters: { labelIds: ['L1'], status: TaskStatus.Done } });
        expect(filtered.sql).toContain('FROM task_labels tl JOIN tasks ON tasks.id = tl.task_id AND tl.label_id = ?');
        expect(filtered.sql).toContain('AND status = ? ORDER BY tl.task_created_at ASC, tl.task_id ASC LIMIT ? OFFSET ?) t');
        // Another sort key orders the tasks themselves.
        expect(page({ filters: { labelIds: ['L1'] }, sort: TaskSortKey.Title }).sql).toContain('FROM tasks WHERE');
      });

      it('searches the folded copies with LIKE, a backslash ESCAPE and an escaped, folded pattern', () => {
        const { sql, params } = taskCountStatement('sqlite', { q: 'A%b_C\\É' });
        expect(sql).toContain(`(search_title LIKE ? ESCAPE '\\' OR search_description LIKE ? ESCAPE '\\')`);
        expect(params).toEqual(['%a\\%b\\_c\\\\é%', '%a\\%b\\_c\\\\é%']);
      });

      it('compares due bounds strictly, as instants', () => {
        const { sql, params } = taskCountStatement('sqlite', { due_before: '2026-12-31T10:00:00+02:00', due_after: '2026-12-01' });
        expect(sql).toContain('due_date < ? AND due_date > ?');
        // SQLite stores dates as UTC text; the offset has been applied before the comparison.
        expect(params).toEqual(['2026-12-31 08:00:00.000', '2026-12-01 00:00:00.000']);
      });
    });

    describe('rows they select', () => {
      it('matches status, priority and assignee exactly and combines them with AND', async () => {
        await insert(1, { status: TaskStatus.Done, priority: TaskPriority.High, assignee: 'alice' });
        await insert(2, { status: TaskStatus.Done, priority: TaskPriority.Low, assignee: 'alice' });
        await insert(3, { status: TaskStatus.Todo, priority: TaskPriority.High, assignee: 'alice' });
        await insert(4, { status: TaskStatus.Done, priority: TaskPriority.High, assignee: 'Alice' });
        await insert(5, { status: TaskStatus.Done, priority: TaskPriority.High, assignee: 'alice2' });
        await expect(filteredIds({ status: TaskStatus.Done })).resolves.toEqual([1, 2, 4, 5]);
        await expect(
          filteredIds({ status: TaskStatus.Done, priority: TaskPriority.High, assignee: 'alice' }),
        ).resolves.toEqual([1]);
      });

      it('treats %, _ and \\ in q as literal characters', async () => {
        await insert(1, { title: '100% done' });
        await insert(2, { title: '100 percent done' });
        await insert(3, { title: 'snake_case' });
        await insert(4, { title: 'snakeXcase' });
        await insert(5, { title: 'back\\slash' });
        await insert(6, { title: 'backslash' });
        await expect(filteredIds({ q: '%' })).resolves.toEqual([1]);
        await expect(filteredIds({ q: '0% d' })).resolves.toEqual([1]);
        await expect(filteredIds({ q: '_' })).resolves.toEqual([3]);
        await expect(filteredIds({ q: 'snake_c' })).resolves.toEqual([3]);
        await expect(filteredIds({ q: '\\' })).resolves.toEqual([5]);
        await expect(filteredIds({ q: 'k\\s' })).resolves.toEqual([5]);
      });

      it('ignores case for accented letters in either direction (é finds É, É finds é)', async () => {
        await insert(1, { title: 'ÉCOLE' });
        await insert(2, { title: 'école' });
        await insert(3, { title: 'ecole' });
        await expect(filteredIds({ q: 'é' })).resolves.toEqual([1, 2]);
        await expect(filteredIds({ q: 'ÉCO' })).resolves.toEqual([1, 2]);
      });

      it('matches a substring of the title or of the description', async () => {
        await insert(1, { title: 'Prepare the DEMO' });
        await insert(2, { title: 'Other', description: 'A live demo of the board' });
        await insert(3, { title: 'Unrelated', description: null });
        await insert(4, { title: 'Démonstration' });
        await expect(filteredIds({ q: 'demo' })).resolves.toEqual([1, 2]);
      });

      it('keeps due bounds strict and excludes tasks without a due date', async () => {
        await insert(1, { dueDate: new Date('2026-12-01T00:00:00.000Z') });
        await insert(2, { dueDate: new Date('2026-12-01T00:00:00.001Z') });
        await insert(3, { dueDate: new Date('2026-12-15T12:00:00.000Z') });
        await insert(4, { dueDate: null });
        await expect(filteredIds({ due_after: '2026-12-01' })).resolves.toEqual([2, 3]);
        await expect(filteredIds({ due_before: '2026-12-01T00:00:00.001Z' })).resolves.toEqual([1]);
        await expect(filteredIds({ due_after: '2026-11-30T23:00:00-01:00', due_before: '2026-12-15T13:00:00+01:00' }))
          .resolves.toEqual([2]);
      });
    });
  });
});
