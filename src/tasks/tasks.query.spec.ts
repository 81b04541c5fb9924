import { DataSource, Repository } from 'typeorm';
import { CreateTasks1763900000000 } from '../database/migrations/1763900000000-CreateTasks';
import { TaskFiltersDto } from './dto/list-tasks-query.dto';
import { foldForSearch, Task } from './task.entity';
import { SortOrder, TaskPriority, TaskSortKey, TaskStatus } from './task.enums';
import { applyFilters, applySort, escapeLike, TASK_ALIAS } from './tasks.query';

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

describe('task query builders on SQLite', () => {
  let dataSource: DataSource;
  let tasks: Repository<Task>;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Task],
      migrations: [CreateTasks1763900000000],
      migrationsRun: true,
    });
    await dataSource.initialize();
    tasks = dataSource.getRepository(Task);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  beforeEach(async () => {
    await tasks.clear();
  });

  function builder() {
    return tasks.createQueryBuilder(TASK_ALIAS);
  }

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
      ...fields,
      title,
      description,
      searchTitle: foldForSearch(title),
      searchDescription: description === null ? null : foldForSearch(description),
    });
  }

  /** The numbers of the tasks a sorted query returns, in order. */
  async function sortedIds(sort?: TaskSortKey, order?: SortOrder): Promise<number[]> {
    const rows = await applySort(builder(), sort, order).getMany();
    return rows.map((task) => Number(task.id.slice(-12)));
  }

  async function filteredIds(filters: TaskFiltersDto): Promise<number[]> {
    const rows = await applyFilters(builder(), filters).orderBy(`${TASK_ALIAS}.id`, 'ASC').getMany();
    return rows.map((task) => Number(task.id.slice(-12)));
  }

  describe(applySort.name, () => {
    describe('generated SQL', () => {
      it('orders by created_at then id, ascending, by default', () => {
        const [sql] = applySort(builder()).getQueryAndParameters();
        expect(sql).toContain('ORDER BY "task"."created_at" ASC, "task"."id" ASC');
      });

      it('orders by the priority rank, the expression the migration indexes, then id in the same direction', () => {
        const [sql] = applySort(builder(), TaskSortKey.Priority, SortOrder.Desc).getQueryAndParameters();
        expect(sql).toContain(`ORDER BY ${PRIORITY_RANK} DESC, "task"."id" DESC`);
      });

      it('orders by the status rank then id', () => {
        const [sql] = applySort(builder(), TaskSortKey.Status, SortOrder.Asc).getQueryAndParameters();
        expect(sql).toContain(`ORDER BY ${STATUS_RANK} ASC, "task"."id" ASC`);
      });

      it.each([SortOrder.Asc, SortOrder.Desc])('puts tasks without a due date last when ordering due_date %s', (order) => {
        const direction = order.toUpperCase();
        const [sql] = applySort(builder(), TaskSortKey.DueDate, order).getQueryAndParameters();
        expect(sql).toContain(`ORDER BY "task"."due_date" ${direction} NULLS LAST, "task"."id" ${direction}`);
      });

      it('adds NULLS LAST only to due_date, the one nullable sort key', () => {
        const [sql] = applySort(builder(), TaskSortKey.Title, SortOrder.Desc).getQueryAndParameters();
        expect(sql).toContain('ORDER BY "task"."title" DESC, "task"."id" DESC');
        expect(sql).not.toContain('NULLS');
      });

      it('replaces any earlier order rather than adding to it', () => {
        const query = builder().orderBy(`${TASK_ALIAS}.title`, 'DESC');
        const [sql] = applySort(query, TaskSortKey.UpdatedAt).getQueryAndParameters();
        expect(sql).toContain('ORDER BY "task"."updated_at" ASC, "task"."id" ASC');
        expect(sql).not.toContain('"task"."title" DESC');
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
    });
  });

  describe(applyFilters.name, () => {
    describe('generated SQL', () => {
      it('adds no WHERE clause without filters', () => {
        const [sql, parameters] = applyFilters(builder(), {}).getQueryAndParameters();
        expect(sql).not.toContain('WHERE');
        expect(parameters).toEqual([]);
      });

      it('combines the filters with AND and binds their values as parameters', () => {
        const [sql, parameters] = applyFilters(builder(), {
          status: TaskStatus.Done,
          priority: TaskPriority.High,
          assignee: "o'brien",
        }).getQueryAndParameters();
        expect(sql).toContain('WHERE "task"."status" = ? AND "task"."priority" = ? AND "task"."assignee" = ?');
        expect(parameters).toEqual(['done', 'high', "o'brien"]);
      });

      it('searches the folded copies with LIKE, a backslash ESCAPE and an escaped, folded pattern', () => {
        const [sql, parameters] = applyFilters(builder(), { q: 'A%b_C\\É' }).getQueryAndParameters();
        expect(sql).toContain(
          `("task"."search_title" LIKE ? ESCAPE '\\' OR "task"."search_description" LIKE ? ESCAPE '\\')`,
        );
        expect(parameters).toEqual(['%a\\%b\\_c\\\\é%', '%a\\%b\\_c\\\\é%']);
      });

      it('compares due bounds strictly, as instants', () => {
        const [sql, parameters] = applyFilters(builder(), {
          due_before: '2026-12-31T10:00:00+02:00',
          due_after: '2026-12-01',
        }).getQueryAndParameters();
        expect(sql).toContain('"task"."due_date" < ? AND "task"."due_date" > ?');
        // SQLite stores dates as UTC text; the offset has been applied before the comparison.
        expect(parameters).toEqual(['2026-12-31 08:00:00.000', '2026-12-01 00:00:00.000']);
      });
    });

    describe('rows it returns', () => {
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
