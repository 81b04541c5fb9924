import request from 'supertest';
import { useTestApp } from './create-test-app';
import { createTask, ISO_UTC_MS, UUID, WireTask } from './task-fixtures';

describe('Tasks CRUD (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  describe('POST /tasks', () => {
    it('creates a task with defaults, a Location header and an ETag', async () => {
      const response = await http().post('/tasks').send({ title: 'Write the report' }).expect(201);
      const task = response.body as WireTask;
      expect(task).toEqual({
        id: expect.stringMatching(UUID),
        title: 'Write the report',
        description: null,
        status: 'todo',
        priority: 'medium',
        assignee: null,
        due_date: null,
        created_at: expect.stringMatching(ISO_UTC_MS),
        updated_at: task.created_at,
        created_by: null,
        updated_by: null,
        // v3's additions: the default project's first number, no labels, no member assignee, no comments.
        project_id: expect.stringMatching(UUID),
        number: 1,
        key: 'TF-1',
        labels: [],
        assignee_id: null,
        assignee_user: null,
        comment_count: 0,
      });
      expect(response.headers.location).toBe(`/tasks/${task.id}`);
      expect(response.headers.etag).toMatch(/^"[0-9a-z]+"$/);
      await http().get(`/tasks/${task.id}`).expect(200, task);
    });

    it('stores every field it is given and trims the title', async () => {
      const task = await createTask(testApp(), {
        title: '  Ship v2 \n',
        description: 'All of it',
        status: 'in_progress',
        priority: 'high',
        assignee: 'alice',
        due_date: '2026-12-01T10:30:00+02:00',
      });
      expect(task).toMatchObject({
        title: 'Ship v2',
        description: 'All of it',
        status: 'in_progress',
        priority: 'high',
        assignee: 'alice',
        due_date: '2026-12-01T08:30:00.000Z',
      });
    });

    it('ignores id, created_at, updated_at and unknown fields', async () => {
      const response = await http()
        .post('/tasks')
        .send({ title: 'T', id: 'mine', created_at: '2000-01-01T00:00:00Z', updated_at: '2000-01-01', colour: 'red' })
        .expect(201);
      expect(response.body.id).toMatch(UUID);
      expect(response.body.created_at.startsWith('2000')).toBe(false);
      expect(response.body).not.toHaveProperty('colour');
    });

    it.each([
      ['2026-12-01', '2026-12-01T00:00:00.000Z'],
      ['2026-12-01T09:15', '2026-12-01T09:15:00.000Z'],
      ['2026-12-01T09:15:30', '2026-12-01T09:15:30.000Z'],
      ['2026-12-01T09:15:30.1234567Z', '2026-12-01T09:15:30.123Z'],
      ['2026-12-01T09:15:30.999999-05:30', '2026-12-01T14:45:30.999Z'],
      ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ])('reads the due date %s as %s', async (input, stored) => {
      const task = await createTask(testApp(), { title: 'T', due_date: input });
      expect(task.due_date).toBe(stored);
      const fetched = await http().get(`/tasks/${task.id}`).expect(200);
      expect(fetched.body.due_date).toBe(stored);
    });

    it.each([
      ['2026-02-30'],
      ['2025-02-29'],
      ['2026-13-01'],
      ['2026-12-01T24:00'],
      ['2026-12-01 09:15'],
      ['01/12/2026'],
      ['tomorrow'],
      [''],
      [20261201],
      [true],
    ])('refuses the due date %p with 422', async (dueDate) => {
      const response = await http().post('/tasks').send({ title: 'T', due_date: dueDate }).expect(422);
      expect(response.body).toEqual({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: [expect.stringContaining('due_date must be an ISO 8601')],
        request_id: response.headers['x-request-id'],
      });
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('counts lengths in code points: 200 emoji fit the title, 201 do not', async () => {
      await createTask(testApp(), { title: '😀'.repeat(200) });
      const response = await http().post('/tasks').send({ title: '😀'.repeat(201) }).expect(422);
      expect(response.body.message).toEqual(['title must be shorter than or equal to 200 characters']);
    });

    it.each([
      ['title', 'x'.repeat(201), 'title must be shorter than or equal to 200 characters'],
      ['description', 'x'.repeat(1001), 'description must be shorter than or equal to 1000 characters'],
      ['assignee', 'x'.repeat(101), 'assignee must be shorter than or equal to 100 characters'],
    ])('refuses a %s over its limit', async (field, value, message) => {
      const response = await http().post('/tasks').send({ title: 'T', [field]: value }).expect(422);
      expect(response.body.message).toEqual([message]);
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('accepts every field at its limit', async () => {
      const task = await createTask(testApp(), { title: ` ${'t'.repeat(200)} `, description: 'd'.repeat(1000), assignee: 'a'.repeat(100) });
      expect(task.title).toHaveLength(200);
      expect(task.description).toHaveLength(1000);
      expect(task.assignee).toHaveLength(100);
    });

    it.each([
      [{}, 'title should not be empty'],
      [{ title: '' }, 'title should not be empty'],
      [{ title: ' \t\n ' }, 'title should not be empty'],
      [{ title: null }, 'title should not be empty'],
      [{ title: 42 }, 'title must be a string'],
      [{ title: 'T', status: 'TODO' }, 'status must be one of the following values: todo, in_progress, done'],
      [{ title: 'T', status: null }, 'status must be one of the following values: todo, in_progress, done'],
      [{ title: 'T', priority: 'urgent' }, 'priority must be one of the following values: low, medium, high'],
      [{ title: 'T', priority: null }, 'priority must be one of the following values: low, medium, high'],
      [{ title: 'T', description: 5 }, 'description must be a string'],
      [{ title: 'T', assignee: ['a'] }, 'assignee must be a string'],
      [{ title: 'nul\u0000byte' }, 'title must not contain NUL (\\u0000) characters'],
    ])('refuses %p with 422 and says why', async (body, message) => {
      const response = await http().post('/tasks').send(body).expect(422);
      expect(response.body.message).toContain(message);
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('keeps nulls for the nullable fields', async () => {
      const task = await createTask(testApp(), { title: 'T', description: null, assignee: null, due_date: null });
      expect(task).toMatchObject({ description: null, assignee: null, due_date: null });
    });
  });

  describe('GET /tasks/:id', () => {
    it('returns the task with its ETag', async () => {
      const task = await createTask(testApp(), { title: 'Read me' });
      const response = await http().get(`/tasks/${task.id}`).expect(200);
      expect(response.body).toEqual(task);
      expect(response.headers.etag).toMatch(/^"[0-9a-z]+"$/);
    });

    it.each([
      ['an unknown uuid', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
      ['a number', '123'],
      ['a word', 'not-a-uuid'],
      ['an upper-case uuid', '3FA85F64-5717-4562-B3FC-2C963F66AFA6'],
      ['a very long id', 'x'.repeat(5000)],
      ['an encoded NUL', '%00'],
      ['quotes', "%27%20OR%201%3D1--"],
    ])('returns 404 for %s', async (_, id) => {
      const response = await http().get(`/tasks/${id}`).expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(typeof response.body.message).toBe('string');
    });
  });

  describe('PUT and PATCH /tasks/:id', () => {
    it.each(['put', 'patch'] as const)('%s changes only the fields present', async (method) => {
      const task = await createTask(testApp(), { title: 'Old', description: 'Keep me', priority: 'high', assignee: 'bob' });
      const response = await http()[method](`/tasks/${task.id}`).send({ title: '  New  ', status: 'done' }).expect(200);
      expect(response.body).toEqual({
        ...task,
        title: 'New',
        status: 'done',
        updated_at: expect.stringMatching(ISO_UTC_MS),
      });
      expect(response.headers.etag).toMatch(/^"[0-9a-z]+"$/);
      await http().get(`/tasks/${task.id}`).expect(200, response.body);
    });

    it('clears nullable fields sent as null', async () => {
      const task = await createTask(testApp(), { title: 'T', description: 'D', assignee: 'a', due_date: '2026-12-01' });
      const response = await http().put(`/tasks/${task.id}`).send({ description: null, assignee: null, due_date: null }).expect(200);
      expect(response.body).toMatchObject({ title: 'T', description: null, assignee: null, due_date: null });
    });

    it("accepts the original frontend's whole-form PUT with an empty description", async () => {
      const task = await createTask(testApp(), { title: 'T', description: 'D' });
      const form = { title: 'T2', description: '', status: 'in_progress', priority: 'low', assignee: '', due_date: null };
      const response = await http().put(`/tasks/${task.id}`).send(form).expect(200);
      expect(response.body).toMatchObject(form);
    });

    it('moves updated_at strictly forward on every update, even one that changes nothing, and keeps created_at', async () => {
      const task = await createTask(testApp(), { title: 'T' });
      let previous = task.updated_at;
      for (let i = 0; i < 5; i++) {
        const response = await http().patch(`/tasks/${task.id}`).send({}).expect(200);
        expect(Date.parse(response.body.updated_at)).toBeGreaterThan(Date.parse(previous));
        expect(response.body.created_at).toBe(task.created_at);
        previous = response.body.updated_at;
      }
    });

    it.each([
      [{ title: null }],
      [{ title: '' }],
      [{ title: '   ' }],
      [{ status: null }],
      [{ priority: null }],
      [{ status: 'archived' }],
      [{ due_date: '2026-02-30' }],
      [{ description: 'x'.repeat(1001) }],
    ])('refuses %p with 422 and changes nothing', async (body) => {
      const task = await createTask(testApp(), { title: 'T', description: 'D' });
      await http().put(`/tasks/${task.id}`).send(body).expect(422);
      await http().patch(`/tasks/${task.id}`).send(body).expect(422);
      await http().get(`/tasks/${task.id}`).expect(200, task);
    });

    it('returns 404 for an unknown or malformed id', async () => {
      await http().put('/tasks/3fa85f64-5717-4562-b3fc-2c963f66afa6').send({ title: 'x' }).expect(404);
      await http().patch('/tasks/nope').send({ title: 'x' }).expect(404);
    });
  });

  describe('DELETE /tasks/:id', () => {
    it('deletes with 204 and no body, then the task is gone', async () => {
      const task = await createTask(testApp(), { title: 'T' });
      const response = await http().delete(`/tasks/${task.id}`).expect(204);
      expect(response.text).toBe('');
      await http().get(`/tasks/${task.id}`).expect(404);
      await http().delete(`/tasks/${task.id}`).expect(404);
    });

    it('returns 404 for an id that never existed', async () => {
      await http().delete('/tasks/3fa85f64-5717-4562-b3fc-2c963f66afa6').expect(404);
      await http().delete('/tasks/whatever').expect(404);
    });
  });
});
