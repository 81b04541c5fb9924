import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { useTestApp } from './create-test-app';
import { createTask, createTasks, listTasks, WireTask } from './task-fixtures';

type SortKey = 'created_at' | 'updated_at' | 'due_date' | 'priority' | 'status' | 'title';
const RANK: Record<string, Record<string, number>> = {
  priority: { low: 0, medium: 1, high: 2 },
  status: { todo: 0, in_progress: 1, done: 2 },
};

/** The contract's order, computed independently of the server: key, then id in the same direction, nulls last. */
function expectedOrder(tasks: WireTask[], sort: SortKey, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const keyOf = (task: WireTask) => (RANK[sort] ? RANK[sort][task[sort] as string] : task[sort]);
  return [...tasks]
    .sort((a, b) => {
      const [ka, kb] = [keyOf(a), keyOf(b)];
      if (ka === null && kb !== null) return 1;
      if (kb === null && ka !== null) return -1;
      if (ka !== kb) return (ka! < kb! ? -1 : 1) * sign;
      return (a.id < b.id ? -1 : 1) * sign;
    })
    .map((task) => task.id);
}

const ids = (tasks: WireTask[]) => tasks.map((task) => task.id);

describe('Listing, filtering, sorting and paging tasks (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  it('returns an empty array and X-Total-Count 0 when there are no tasks', async () => {
    const response = await http().get('/tasks').expect(200);
    expect(response.body).toEqual([]);
    expect(response.headers['x-total-count']).toBe('0');
  });

  describe('filters', () => {
    let tasks: WireTask[];
    beforeEach(async () => {
      tasks = await createTasks(testApp(), [
        { title: 'Alpha', status: 'todo', priority: 'high', assignee: 'alice', due_date: '2026-12-01T00:00:00Z' },
        { title: 'Beta', status: 'in_progress', priority: 'low', assignee: 'bob', due_date: '2026-12-10T00:00:00Z' },
        { title: 'Gamma', status: 'done', priority: 'high', assignee: 'alice', due_date: null },
        { title: 'Delta', status: 'todo', priority: 'medium', assignee: null, description: 'Report for Élodie' },
        { title: 'Epsilon', status: 'todo', priority: 'high', assignee: 'Alice', due_date: '2026-12-20T00:00:00Z' },
      ]);
    });
    const titles = async (query: string) => {
      const { tasks: found, total } = await listTasks(testApp(), query);
      expect(total).toBe(found.length);
      return found.map((task) => task.title).sort();
    };

    it.each([
      ['?status=todo', ['Alpha', 'Delta', 'Epsilon']],
      ['?status=in_progress', ['Beta']],
      ['?priority=high', ['Alpha', 'Epsilon', 'Gamma']],
      ['?assignee=alice', ['Alpha', 'Gamma']],
      ['?assignee=nobody', []],
      ['?status=todo&priority=high', ['Alpha', 'Epsilon']],
      ['?status=todo&priority=high&assignee=alice', ['Alpha']],
      ['?q=ALP', ['Alpha']],
      ['?q=élodie', ['Delta']],
      ['?q=ÉLODIE', ['Delta']],
      ['?q=a', ['Alpha', 'Beta', 'Delta', 'Gamma']],
      ['?due_before=2026-12-10', ['Alpha']],
      ['?due_before=2026-12-10T00:00:00.001Z', ['Alpha', 'Beta']],
      ['?due_after=2026-12-10', ['Epsilon']],
      ['?due_after=2026-11-30&due_before=2026-12-31', ['Alpha', 'Beta', 'Epsilon']],
      ['?due_after=2026-12-01T01:00:00%2B01:00', ['Beta', 'Epsilon']],
      ['?status=todo&q=e&due_after=2026-12-15', ['Epsilon']],
      ['?unknown=1&another=x', ['Alpha', 'Beta', 'Delta', 'Epsilon', 'Gamma']],
      [`?q=${'a'.repeat(1500)}`, []],
      [`?assignee=${'a'.repeat(150)}`, []],
    ])('%s finds %p', async (query, expected) => {
      expect(await titles(query)).toEqual(expected);
    });

    it('gives the same results on /tasks/search and /tasks/filter/{status}', async () => {
      const search = await http().get('/tasks/search?q=alpha').expect(200);
      expect(ids(search.body)).toEqual([tasks[0].id]);
      expect(search.headers['x-total-count']).toBe('1');
      const all = await http().get('/tasks/search').expect(200);
      expect(all.body).toHaveLength(5);
      const filtered = await http().get('/tasks/filter/todo?priority=high&sort=title&order=desc').expect(200);
      expect(filtered.body.map((task: WireTask) => task.title)).toEqual(['Epsilon', 'Alpha']);
      expect(filtered.headers['x-total-count']).toBe('2');
      const paged = await http().get('/tasks/filter/todo?limit=1&skip=1&sort=title').expect(200);
      expect(paged.body.map((task: WireTask) => task.title)).toEqual(['Delta']);
      expect(paged.headers['x-total-count']).toBe('3');
    });

    it('counts with the same filters, ignoring sort, order, skip and limit', async () => {
      await http().get('/tasks/count').expect(200, { total: 5 });
      await http().get('/tasks/count?status=todo&priority=high').expect(200, { total: 2 });
      await http().get('/tasks/count?q=ALPHA').expect(200, { total: 1 });
      await http().get('/tasks/count?due_after=2026-12-05').expect(200, { total: 2 });
      await http().get('/tasks/count?status=todo&sort=title&order=desc&skip=2&limit=1').expect(200, { total: 3 });
    });
  });

  describe('q matches %, _ and \\ literally', () => {
    beforeEach(async () => {
      await createTasks(testApp(), [
        { title: '100% done' },
        { title: '1000 done' },
        { title: 'snake_case' },
        { title: 'snakeXcase' },
        { title: 'C:\\temp' },
        { title: 'C:temp' },
        { title: 'plain', description: 'fifty%off' },
      ]);
    });
    it.each([
      ['%25', ['100% done', 'plain']],
      ['0%25', ['100% done']],
      ['_', ['snake_case']],
      ['e_c', ['snake_case']],
      ['%5C', ['C:\\temp']],
      [':%5Ct', ['C:\\temp']],
      ['%25%25', []],
    ])('q=%s finds %p', async (q, expected) => {
      const { tasks } = await listTasks(testApp(), `?q=${q}`);
      expect(tasks.map((task) => task.title).sort()).toEqual(expected.sort());
    });
  });

  describe('sorting', () => {
    let tasks: WireTask[];
    beforeEach(async () => {
      const created = await createTasks(testApp(), [
        { title: 'kiwi', status: 'done', priority: 'low', due_date: '2026-12-03' },
        { title: 'apple', status: 'todo', priority: 'high', due_date: null },
        { title: 'mango', status: 'in_progress', priority: 'medium', due_date: '2026-12-01' },
        { title: 'apple', status: 'in_progress', priority: 'high', due_date: '2026-12-03' },
        { title: 'banana', status: 'todo', priority: 'low', due_date: null },
        { title: 'cherry', status: 'done', priority: 'medium', due_date: '2026-12-02' },
        { title: 'banana', status: 'todo', priority: 'high', due_date: '2026-12-01' },
      ]);
      // Touch some tasks so that updated_at differs from creation order.
      await http().patch(`/tasks/${created[2].id}`).send({}).expect(200);
      await http().patch(`/tasks/${created[0].id}`).send({}).expect(200);
      tasks = (await listTasks(testApp(), '?limit=1000')).tasks;
    });

    const keys: SortKey[] = ['created_at', 'updated_at', 'due_date', 'priority', 'status', 'title'];
    it.each(keys.flatMap((key) => [[key, 'asc'] as const, [key, 'desc'] as const]))(
      'sort=%s&order=%s orders by the key, ties by id in the same direction, nulls last',
      async (sort, order) => {
        const { tasks: sorted } = await listTasks(testApp(), `?sort=${sort}&order=${order}`);
        expect(ids(sorted)).toEqual(expectedOrder(tasks, sort, order));
      },
    );

    it('defaults to created_at ascending, then id', async () => {
      const { tasks: sorted } = await listTasks(testApp(), '');
      expect(ids(sorted)).toEqual(expectedOrder(tasks, 'created_at', 'asc'));
    });

    it('puts tasks without a due date last in both orders', async () => {
      for (const order of ['asc', 'desc']) {
        const { tasks: sorted } = await listTasks(testApp(), `?sort=due_date&order=${order}`);
        expect(sorted.slice(-2).map((task) => task.due_date)).toEqual([null, null]);
        expect(sorted.slice(0, -2).every((task) => task.due_date !== null)).toBe(true);
      }
    });

    it('sorts priority by meaning and status by workflow', async () => {
      const byPriority = (await listTasks(testApp(), '?sort=priority')).tasks.map((task) => task.priority);
      expect(byPriority).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'high']);
      const byStatus = (await listTasks(testApp(), '?sort=status&order=desc')).tasks.map((task) => task.status);
      expect(byStatus).toEqual(['done', 'done', 'in_progress', 'in_progress', 'todo', 'todo', 'todo']);
    });
  });

  describe('paging', () => {
    it('returns every task exactly once when paging through equal sort keys, in both orders', async () => {
      const created = await createTasks(
        testApp(),
        Array.from({ length: 23 }, (_, i) => ({ title: `same ${i}`, priority: 'medium', status: i % 2 ? 'todo' : 'done' })),
      );
      for (const order of ['asc', 'desc'] as const) {
        for (const sort of ['priority', 'status', 'created_at'] as const) {
          const seen: string[] = [];
          for (let skip = 0; skip < 30; skip += 5) {
            const { tasks, total } = await listTasks(testApp(), `?sort=${sort}&order=${order}&skip=${skip}&limit=5`);
            expect(total).toBe(23);
            seen.push(...ids(tasks));
          }
          expect(seen).toHaveLength(23);
          expect(new Set(seen).size).toBe(23);
          expect(seen).toEqual(expectedOrder(created, sort, order));
        }
      }
    });

    it('returns 100 tasks by default and up to 1000 with limit', async () => {
      await createTasks(testApp(), Array.from({ length: 105 }, (_, i) => ({ title: `task ${i}` })));
      const firstPage = await listTasks(testApp(), '');
      expect(firstPage.tasks).toHaveLength(100);
      expect(firstPage.total).toBe(105);
      expect((await listTasks(testApp(), '?limit=1000')).tasks).toHaveLength(105);
      expect((await listTasks(testApp(), '?skip=100')).tasks).toHaveLength(5);
      expect((await listTasks(testApp(), '?skip=500')).tasks).toHaveLength(0);
      expect((await listTasks(testApp(), '?skip=0&limit=1')).tasks).toHaveLength(1);
    });
  });

  describe('paging by cursor', () => {
    /** Follows X-Next-Cursor from the first page to the last; every page reports the same total. */
    async function walk(query: string): Promise<{ seen: string[]; pages: number }> {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await http().get(`/tasks?${query}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        seen.push(...ids(response.body as WireTask[]));
        cursor = response.headers['x-next-cursor'];
        pages++;
      } while (cursor !== undefined && pages < 50);
      return { seen, pages };
    }

    it('walks every task exactly once, in the order of skip paging, for every sort key and order', async () => {
      const created = await createTasks(
        testApp(),
        Array.from({ length: 13 }, (_, i) => ({
          title: `task ${i % 4}`,
          priority: ['low', 'medium', 'high'][i % 3],
          status: ['todo', 'in_progress', 'done'][i % 3],
          due_date: i % 3 === 0 ? null : `2026-12-0${1 + (i % 2)}T00:00:00Z`,
        })),
      );
      for (const order of ['asc', 'desc'] as const) {
        for (const sort of ['created_at', 'updated_at', 'due_date', 'priority', 'status', 'title'] as const) {
          const { seen, pages } = await walk(`sort=${sort}&order=${order}&limit=4`);
          expect(pages).toBe(4);
          const bySkip = (await listTasks(testApp(), `?sort=${sort}&order=${order}&limit=1000`)).tasks;
          expect(seen).toEqual(ids(bySkip));
          if (sort !== 'title') expect(seen).toEqual(expectedOrder(created, sort, order));
        }
      }
    });

    it('keeps the filters, sends no X-Next-Cursor on the last page, and counts every match', async () => {
      await createTasks(testApp(), Array.from({ length: 7 }, (_, i) => ({ title: `t${i}`, status: i < 5 ? 'todo' : 'done' })));
      const first = await http().get('/tasks?status=todo&limit=3').expect(200);
      expect(first.headers['x-total-count']).toBe('5');
      const second = await http().get(`/tasks?status=todo&limit=3&cursor=${first.headers['x-next-cursor']}`).expect(200);
      expect(second.body.map((task: WireTask) => task.status)).toEqual(['todo', 'todo']);
      expect(second.headers['x-total-count']).toBe('5');
      expect(second.headers['x-next-cursor']).toBeUndefined();
      const exact = await http().get('/tasks?status=todo&limit=5').expect(200);
      expect(exact.headers['x-next-cursor']).toBeUndefined();
    });

    it('neither repeats nor skips a task when tasks are added before the cursor meanwhile', async () => {
      const created = await createTasks(testApp(), Array.from({ length: 6 }, (_, i) => ({ title: `t${i}` })));
      const first = await http().get('/tasks?sort=created_at&order=desc&limit=3').expect(200);
      await createTask(testApp(), { title: 'newer' });
      const second = await http().get(`/tasks?sort=created_at&order=desc&limit=3&cursor=${first.headers['x-next-cursor']}`).expect(200);
      // The order the API promises: newest first, ties (tasks created in the same millisecond) by id, descending.
      const key = (task: WireTask) => `${task.created_at} ${task.id}`;
      const newestFirst = [...created].sort((a, b) => (key(a) < key(b) ? 1 : -1));
      expect([...ids(first.body), ...ids(second.body)]).toEqual(ids(newestFirst));
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['random text', 'abc'],
      ['another sort', 'sort=title'],
      ['another order', 'order=desc'],
    ])('refuses a cursor that is %s with 422', async (_, variant) => {
      await createTasks(testApp(), Array.from({ length: 3 }, (_, i) => ({ title: `t${i}` })));
      const first = await http().get('/tasks?limit=1').expect(200);
      const query = variant.includes('=') ? `${variant}&cursor=${first.headers['x-next-cursor']}` : `cursor=${encodeURIComponent(variant)}`;
      const response = await http().get(`/tasks?${query}`).expect(422);
      expect(response.body.message).toEqual([expect.stringContaining('cursor')]);
    });

    it('refuses a cursor whose sort value the sort key cannot have', async () => {
      const forged = Buffer.from(JSON.stringify(['created_at', 'asc', 'yesterday', randomUUID()])).toString('base64url');
      await http().get(`/tasks?cursor=${forged}`).expect(422);
    });
  });

  describe('malformed query values', () => {
    const badQueries = [
      'status=TODO',
      'status=',
      'status=todo&status=done',
      'status=archived',
      'priority=HIGH',
      'priority=urgent',
      'priority=',
      'assignee=',
      'assignee=a&assignee=b',
      'q=',
      'q=a&q=b',
      'due_before=2026-02-30',
      'due_before=',
      'due_after=yesterday',
      'due_after=2026-12-01%2001:00',
      'sort=CREATED_AT',
      'sort=id',
      'sort=',
      'order=ASC',
      'order=up',
      'order=',
      'skip=-1',
      'skip=1.5',
      'skip=abc',
      'skip=',
      'skip=1e2',
      'skip=99999999999999999999',
      'limit=0',
      'limit=1001',
      'limit=abc',
      'limit=%201',
      'limit=0x10',
      'limit=5&limit=6',
    ];
    // The filter route takes its status from the path; a status parameter there is ignored, as unknown ones are.
    const routesFor = (query: string) =>
      ['/tasks', '/tasks/search', '/tasks/count', ...(query.startsWith('status=') ? [] : ['/tasks/filter/todo'])];
    it.each(badQueries.flatMap((query) => routesFor(query).map((path) => [path, query])))(
      '%s?%s is 422 with a message',
      async (path, query) => {
        const response = await http().get(`${path}?${query}`).expect(422);
        expect(response.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
        expect(response.body.message.length).toBeGreaterThan(0);
      },
    );

    it.each(['/tasks/filter/TODO', '/tasks/filter/archived', '/tasks/filter/in-progress'])('%s is 422', async (path) => {
      await http().get(path).expect(422);
    });

    it('ignores a status parameter on /tasks/filter/{status}', async () => {
      await createTasks(testApp(), [{ title: 'a', status: 'todo' }, { title: 'b', status: 'done' }]);
      const { body } = await http().get('/tasks/filter/done?status=todo').expect(200);
      expect(body.map((task: WireTask) => task.title)).toEqual(['b']);
    });
  });

  describe('counts kept by the database', () => {
    it('stay equal to the rows after creates, moves, concurrent updates and deletes', async () => {
      const statuses = ['todo', 'in_progress', 'done'];
      const priorities = ['low', 'medium', 'high'];
      const created = await createTasks(
        testApp(),
        Array.from({ length: 18 }, (_, i) => ({ title: `t${i}`, status: statuses[i % 3], priority: priorities[i % 2] })),
      );
      await Promise.all(
        created.slice(0, 9).map((task, i) =>
          http().patch(`/tasks/${task.id}`).send({ status: statuses[(i + 1) % 3], priority: priorities[(i + 2) % 3] }).expect(200),
        ),
      );
      await Promise.all(created.slice(9, 13).map((task) => http().delete(`/tasks/${task.id}`).expect(204)));
      await http().put(`/tasks/${created[14].id}`).send({ status: created[14].status }).expect(200);

      const dataSource = testApp().get(DataSource);
      for (const status of [...statuses, undefined]) {
        for (const priority of [...priorities, undefined]) {
          const query = new URLSearchParams({ ...(status && { status }), ...(priority && { priority }) }).toString();
          // The enum values are fixed strings, safe to inline; this counts the rows themselves.
          const conditions = [status && `status = '${status}'`, priority && `priority = '${priority}'`].filter(Boolean);
          const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
          const [{ total }] = await dataSource.query(`SELECT COUNT(*) AS total FROM tasks${where}`);
          const counted = await http().get(`/tasks/count?${query}`).expect(200);
          expect(counted.body.total).toBe(Number(total));
          expect((await listTasks(testApp(), `?${query}&limit=1000`)).total).toBe(Number(total));
        }
      }
      const stats = await http().get('/tasks/stats').expect(200);
      expect(stats.body.total).toBe(14);
    });
  });

  it('counts follow bulk statements that bypass the API (an import, a clean-up)', async () => {
    const dataSource = testApp().get(DataSource);
    const [{ id: projectId }] = await dataSource.query<Array<{ id: string }>>('SELECT id FROM projects WHERE key = \'TF\'');
    const rows = Array.from({ length: 300 }, (_, i) => {
      const [status, priority] = [['todo', 'in_progress', 'done'][i % 3], ['low', 'medium', 'high'][i % 2]];
      return `('${randomUUID()}', 'bulk ${i}', '${status}', '${priority}', '2026-11-01 00:00:00.000', '2026-11-01 00:00:00.000', 'bulk ${i}', '${projectId}', ${i + 1})`;
    });
    // An import names each task's project and number, which the API would otherwise give.
    await dataSource.query(
      `INSERT INTO tasks (id, title, status, priority, created_at, updated_at, search_title, project_id, number) VALUES ${rows.join(', ')}`,
    );
    await http().get('/tasks/count').expect(200, { total: 300 });
    await http().get('/tasks/count?status=todo&priority=low').expect(200, { total: 50 });
    await dataSource.query(`UPDATE tasks SET status = 'done' WHERE status = 'todo'`);
    await http().get('/tasks/count?status=done').expect(200, { total: 200 });
    await http().get('/tasks/count?status=todo').expect(200, { total: 0 });
    await dataSource.query(`DELETE FROM tasks WHERE priority = 'low'`);
    await http().get('/tasks/count').expect(200, { total: 150 });
    const stats = await http().get('/tasks/stats').expect(200);
    expect(stats.body).toMatchObject({ total: 150, by_status: { todo: 0, in_progress: 50, done: 100 }, by_priority: { low: 0, medium: 150, high: 0 } });
  });

  describe('GET /tasks/stats', () => {
    it('reports every key with zeros when there are no tasks', async () => {
      await http()
        .get('/tasks/stats')
        .expect(200, {
          total: 0,
          by_status: { todo: 0, in_progress: 0, done: 0 },
          by_priority: { low: 0, medium: 0, high: 0 },
          overdue: 0,
        });
    });

    it('counts by status and priority, and overdue tasks that are past due and not done', async () => {
      const past = '2020-01-01T00:00:00Z';
      const future = '2999-01-01T00:00:00Z';
      await createTasks(testApp(), [
        { title: 'a', status: 'todo', priority: 'high', due_date: past },
        { title: 'b', status: 'in_progress', priority: 'high', due_date: past },
        { title: 'c', status: 'done', priority: 'low', due_date: past },
        { title: 'd', status: 'todo', priority: 'low', due_date: future },
        { title: 'e', status: 'todo', priority: 'high', due_date: null },
      ]);
      await http()
        .get('/tasks/stats')
        .expect(200, {
          total: 5,
          by_status: { todo: 3, in_progress: 1, done: 1 },
          by_priority: { low: 2, medium: 0, high: 3 },
          overdue: 2,
        });
    });
  });

  it('keeps overdue exact as tasks are done, reopened, rescheduled or deleted, down to the millisecond', async () => {
    const overdue = async () => (await http().get('/tasks/stats').expect(200)).body.overdue as number;
    const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const [dueMinuteAgo, dueInHour, dueLastYear] = await createTasks(testApp(), [
      { title: 'a minute late', due_date: minutesFromNow(-1) },
      { title: 'due in an hour', due_date: minutesFromNow(60) },
      { title: 'a year late', due_date: minutesFromNow(-525_600), status: 'in_progress' },
    ]);
    expect(await overdue()).toBe(2);
    await http().patch(`/tasks/${dueMinuteAgo.id}`).send({ status: 'done' }).expect(200);
    expect(await overdue()).toBe(1);
    await http().patch(`/tasks/${dueMinuteAgo.id}`).send({ status: 'todo' }).expect(200);
    expect(await overdue()).toBe(2);
    await http().patch(`/tasks/${dueInHour.id}`).send({ due_date: minutesFromNow(-120) }).expect(200);
    expect(await overdue()).toBe(3);
    await http().patch(`/tasks/${dueLastYear.id}`).send({ due_date: null }).expect(200);
    expect(await overdue()).toBe(2);
    await http().delete(`/tasks/${dueInHour.id}`).expect(204);
    expect(await overdue()).toBe(1);
    await testApp().get(DataSource).query(`UPDATE tasks SET status = 'done'`);
    expect(await overdue()).toBe(0);
  });

  it('lists a created task right away with all its fields', async () => {
    const task = await createTask(testApp(), { title: 'Visible', assignee: 'zoe', due_date: '2026-12-24' });
    const { tasks } = await listTasks(testApp(), '?assignee=zoe');
    expect(tasks).toEqual([task]);
  });
});
