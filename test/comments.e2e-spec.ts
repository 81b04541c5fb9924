import { Server } from 'node:http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin, SignedIn } from './account-fixtures';
import { useTestApp } from './create-test-app';
import { EventStreamClient } from './event-stream-client';
import { JobsService } from '../src/jobs/jobs.service';
import { DUE_SOON_JOB, DueSoonJob } from '../src/notifications/due-soon.job';

type Agent = ReturnType<typeof request>;

describe('Comments, watchers and notifications (e2e, AUTH_MODE=required)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = (): Agent => request(testApp().getHttpServer());
  let admin: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    await new Promise<void>((resolve) => (testApp().getHttpServer() as Server).listen(0, '127.0.0.1', resolve));
  });
  beforeEach(async () => {
    admin = await setUpAdmin(testApp());
    bob = await addMember(testApp(), admin);
    carol = await addMember(testApp(), admin, { email: 'carol@example.com', name: 'Carol Member', password: 'member password 2' });
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  const as = (who: SignedIn) => ({
    get: (path: string) => http().get(path).set(...bearer(who.accessToken)),
    post: (path: string, body: object = {}) => http().post(path).set(...bearer(who.accessToken)).send(body),
    patch: (path: string, body: object) => http().patch(path).set(...bearer(who.accessToken)).send(body),
    put: (path: string, body: object = {}) => http().put(path).set(...bearer(who.accessToken)).send(body),
    delete: (path: string) => http().delete(path).set(...bearer(who.accessToken)),
  });
  const newTask = async (who = admin, body: object = {}) => (await as(who).post('/tasks', { title: 'Fix login', ...body }).expect(201)).body;
  const comment = async (who: SignedIn, task: string, body: string) => (await as(who).post(`/tasks/${task}/comments`, { body }).expect(201)).body;
  const inbox = async (who: SignedIn) => (await as(who).get('/notifications').expect(200)).body as Array<{ kind: string; actor: { id: string } | null; comment_id: string | null; task: { key: string } }>;

  describe('comments', () => {
    it('creates a comment stored as sent, with its author, mentions and a Location', async () => {
      const task = await newTask();
      const body = `  Can you look, <@${bob.user.id}>? And <@${carol.user.id}>, <@${bob.user.id}>  `;
      const response = await as(admin).post(`/tasks/${task.key}/comments`, { body }).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        task_id: task.id,
        body,
        author: { id: admin.user.id, name: 'Ada Admin' },
        mentions: [
          { id: bob.user.id, name: 'Bob Member' },
          { id: carol.user.id, name: 'Carol Member' },
        ],
        created_at: expect.any(String),
        edited_at: null,
      });
      expect(response.headers.location).toBe(`/tasks/${task.id}/comments/${response.body.id}`);
      expect((await as(bob).get(`/tasks/${task.id}`).expect(200)).body.comment_count).toBe(1);
    });

    it.each([
      ['no body', {}],
      ['an empty body', { body: '' }],
      ['only white space', { body: '   \n' }],
      ['10,001 characters', { body: 'x'.repeat(10_001) }],
      ['a NUL character', { body: 'a\u0000b' }],
      ['a number', { body: 5 }],
    ])('refuses %s with 422', async (_, body) => {
      const task = await newTask();
      await as(admin).post(`/tasks/${task.id}/comments`, body).expect(422);
      await as(admin).post(`/tasks/${task.id}/comments`, { body: 'x'.repeat(10_000) }).expect(201);
      expect((await as(admin).get(`/tasks/${task.id}/comments`).expect(200)).headers['x-total-count']).toBe('1');
    });

    it('refuses mentions of unknown or disabled users with 422', async () => {
      const task = await newTask();
      await as(admin).post(`/tasks/${task.id}/comments`, { body: '<@00000000-0000-4000-8000-000000000000>' }).expect(422);
      await as(admin).patch(`/users/${carol.user.id}`, { disabled: true }).expect(200);
      await as(admin).post(`/tasks/${task.id}/comments`, { body: `hi <@${carol.user.id}>` }).expect(422);
      // Not a mention: plain text.
      const plain = await comment(admin, task.id, `<@${carol.user.id.toUpperCase()}>`);
      expect(plain.mentions).toEqual([]);
    });

    it('lists comments oldest first, paged with X-Next-Cursor', async () => {
      const task = await newTask();
      for (const text of ['one', 'two', 'three']) await comment(bob, task.id, text);
      const first = await as(admin).get(`/tasks/${task.key}/comments?limit=2`).expect(200);
      expect(first.body.map((c: { body: string }) => c.body)).toEqual(['one', 'two']);
      expect(first.headers['x-total-count']).toBe('3');
      const next = await as(admin).get(`/tasks/${task.id}/comments?limit=2&cursor=${first.headers['x-next-cursor']}`).expect(200);
      expect(next.body.map((c: { body: string }) => c.body)).toEqual(['three']);
      expect(next.headers['x-next-cursor']).toBeUndefined();
      await as(admin).get(`/tasks/${task.id}/comments?limit=0`).expect(422);
      await as(admin).get(`/tasks/${task.id}/comments?limit=201`).expect(422);
      await as(admin).get(`/tasks/${task.id}/comments?cursor=nope`).expect(422);
    });

    it('lets only the author edit (edited_at set) and the author or an admin delete', async () => {
      const task = await newTask();
      const mine = await comment(bob, task.id, 'first draft');
      await as(carol).patch(`/tasks/${task.id}/comments/${mine.id}`, { body: 'hijack' }).expect(403);
      await as(admin).patch(`/tasks/${task.id}/comments/${mine.id}`, { body: 'admin edit' }).expect(403);
      const edited = await as(bob).patch(`/tasks/${task.id}/comments/${mine.id}`, { body: 'second draft' }).expect(200);
      expect(edited.body).toMatchObject({ body: 'second draft', edited_at: expect.any(String) });
      await as(bob).patch(`/tasks/${task.id}/comments/${mine.id}`, { body: ' ' }).expect(422);
      await as(carol).delete(`/tasks/${task.id}/comments/${mine.id}`).expect(403);
      await as(admin).delete(`/tasks/${task.id}/comments/${mine.id}`).expect(204);
      await as(bob).delete(`/tasks/${task.id}/comments/${mine.id}`).expect(404);
      const own = await comment(carol, task.id, 'mine');
      await as(carol).delete(`/tasks/${task.id}/comments/${own.id}`).expect(204);
      expect((await as(admin).get(`/tasks/${task.id}`).expect(200)).body.comment_count).toBe(0);
    });

    it('answers 404 for a comment of another task, an unknown task, and after the task is deleted', async () => {
      const [a, b] = [await newTask(), await newTask()];
      const onA = await comment(bob, a.id, 'on a');
      await as(bob).patch(`/tasks/${b.id}/comments/${onA.id}`, { body: 'x' }).expect(404);
      await as(bob).delete(`/tasks/${b.id}/comments/${onA.id}`).expect(404);
      await as(bob).get('/tasks/TF-99/comments').expect(404);
      await as(bob).post('/tasks/TF-99/comments', { body: 'x' }).expect(404);
      await as(admin).delete(`/tasks/${a.id}`).expect(204);
      await as(bob).get(`/tasks/${a.id}/comments`).expect(404);
      const [left] = await testApp().get(DataSource).query('SELECT COUNT(*) AS n FROM comments');
      expect(Number(left.n)).toBe(0);
    });

    it('refuses comment writes in an archived project with 409, reads still work', async () => {
      await as(admin).post('/projects', { key: 'OPS', name: 'Ops' }).expect(201);
      const task = await newTask(admin, { project_id: 'OPS' });
      const kept = await comment(bob, task.id, 'before');
      await as(admin).patch('/projects/OPS', { archived: true }).expect(200);
      await as(bob).post(`/tasks/${task.id}/comments`, { body: 'after' }).expect(409);
      await as(bob).patch(`/tasks/${task.id}/comments/${kept.id}`, { body: 'changed' }).expect(409);
      await as(bob).delete(`/tasks/${task.id}/comments/${kept.id}`).expect(409);
      expect((await as(bob).get(`/tasks/${task.id}/comments`).expect(200)).body.map((c: { body: string }) => c.body)).toEqual(['before']);
      await as(bob).put(`/tasks/${task.id}/watch`).expect(204);
    });

    it('logs comment writes in the history, /tasks/changes and the event stream, and never changes the ETag', async () => {
      const task = await as(admin).post('/tasks', { title: 'Fix login' }).expect(201);
      const stream = await EventStreamClient.open(testApp().getHttpServer() as Server, '/tasks/events', { Authorization: `Bearer ${admin.accessToken}` });
      streams.push(stream);
      const created = await comment(bob, task.body.id, 'hello');
      await as(bob).patch(`/tasks/${task.body.id}/comments/${created.id}`, { body: 'hello again' }).expect(200);
      await as(bob).delete(`/tasks/${task.body.id}/comments/${created.id}`).expect(204);
      await stream.until(() => stream.events.filter((event) => event.event?.startsWith('comment.')).length >= 3, 'three comment events');
      expect(stream.events.filter((event) => event.event?.startsWith('comment.')).map((event) => event.event)).toEqual(['comment.created', 'comment.updated', 'comment.deleted']);

      const history = (await as(admin).get(`/tasks/${task.body.id}/history`).expect(200)).body;
      expect(history.map((entry: { kind: string }) => entry.kind)).toEqual(['comment_deleted', 'comment_updated', 'comment_created', 'created']);
      expect(history[2]).toMatchObject({ kind: 'comment_created', changes: {}, user: { id: bob.user.id }, comment: { id: created.id, body: 'hello' }, task: { id: task.body.id, comment_count: 1 } });
      expect(history[0]).toMatchObject({ comment: null, task: { comment_count: 0 } });
      expect(history[3]).not.toHaveProperty('comment');
      const feed = (await as(admin).get('/tasks/changes').expect(200)).body;
      expect(feed.changes.map((entry: { kind: string }) => entry.kind)).toEqual(['created', 'comment_created', 'comment_updated', 'comment_deleted']);
      // A comment never makes an editor's If-Match fail.
      await as(admin).patch(`/tasks/${task.body.id}`, { status: 'done' }).set('If-Match', task.headers.etag).expect(200);
    });
  });

  describe('watchers', () => {
    it('are the creator, the member assignee, commenters and mentioned users, plus whoever asked, minus whoever stopped', async () => {
      const task = await newTask(admin, { assignee_id: bob.user.id });
      const names = async () => (await as(admin).get(`/tasks/${task.id}/watchers`).expect(200)).body.map((u: { name: string }) => u.name);
      expect(await names()).toEqual(['Ada Admin', 'Bob Member']);
      await as(bob).delete(`/tasks/${task.key}/watch`).expect(204);
      expect(await names()).toEqual(['Ada Admin']);
      await comment(admin, task.id, `ping <@${carol.user.id}>`);
      expect(await names()).toEqual(['Ada Admin', 'Carol Member']);
      await as(bob).put(`/tasks/${task.id}/watch`).expect(204);
      expect(await names()).toEqual(['Ada Admin', 'Bob Member', 'Carol Member']);
      await as(bob).put('/tasks/TF-99/watch').expect(404);
      await as(bob).get('/tasks/TF-99/watchers').expect(404);
    });
  });

  describe('notifications', () => {
    it('notifies assignment, mentions, comments, status changes and deletion, never to the one who caused it', async () => {
      const task = await newTask(admin, { assignee_id: bob.user.id });
      expect((await inbox(bob)).map((n) => n.kind)).toEqual(['assigned']);
      expect(await inbox(admin)).toEqual([]);

      const mention = await comment(admin, task.id, `<@${carol.user.id}> can you help?`);
      expect((await inbox(carol)).map((n) => [n.kind, n.comment_id])).toEqual([['mentioned', mention.id]]);
      // Bob watches (assignee) and was not mentioned: commented.
      expect((await inbox(bob)).map((n) => n.kind)).toEqual(['commented', 'assigned']);

      await as(carol).patch(`/tasks/${task.id}`, { status: 'in_progress' }).expect(200);
      expect((await inbox(bob))[0].kind).toBe('status_changed');
      expect((await inbox(admin))[0]).toMatchObject({ kind: 'status_changed', actor: { id: carol.user.id }, task: { key: task.key } });
      expect((await inbox(carol)).map((n) => n.kind)).toEqual(['mentioned']);

      await as(bob).delete(`/tasks/${task.id}`).expect(204);
      expect((await inbox(admin))[0]).toMatchObject({ kind: 'task_deleted', task: { id: task.id, key: task.key, title: 'Fix login' } });
      expect((await inbox(bob))[0].kind).toBe('status_changed');
    });

    it('notifies users newly mentioned by an edit only', async () => {
      const task = await newTask();
      const first = await comment(admin, task.id, `<@${bob.user.id}>`);
      await as(admin).patch(`/tasks/${task.id}/comments/${first.id}`, { body: `<@${bob.user.id}> <@${carol.user.id}>` }).expect(200);
      expect((await inbox(bob)).map((n) => n.kind)).toEqual(['mentioned']);
      expect((await inbox(carol)).map((n) => n.kind)).toEqual(['mentioned']);
    });

    it('creates nothing for a refused write', async () => {
      const task = await newTask(admin, { assignee_id: bob.user.id });
      await as(admin).patch(`/tasks/${task.id}`, { status: 'done' }).set('If-Match', '"stale"').expect(412);
      await as(admin).post(`/tasks/${task.id}/comments`, { body: `<@${carol.user.id}> ${'x'.repeat(10_001)}` }).expect(422);
      expect((await inbox(bob)).map((n) => n.kind)).toEqual(['assigned']);
      expect(await inbox(carol)).toEqual([]);
    });

    it('pages newest first, counts unread, and marks one, others\' or all read', async () => {
      const task = await newTask(admin, { assignee_id: bob.user.id });
      for (const text of ['a', 'b', 'c']) await comment(admin, task.id, text);
      const page = await as(bob).get('/notifications?limit=2').expect(200);
      expect(page.body).toHaveLength(2);
      expect(page.headers['x-unread-count']).toBe('4');
      const rest = await as(bob).get(`/notifications?limit=2&cursor=${page.headers['x-next-cursor']}`).expect(200);
      expect(rest.body.map((n: { kind: string }) => n.kind)).toEqual(['commented', 'assigned']);
      await as(bob).get('/notifications/unread-count').expect(200, { unread: 4 });

      const carolsOwn = await as(admin).post(`/tasks/${task.id}/comments`, { body: `<@${carol.user.id}>` }).expect(201);
      expect(carolsOwn.status).toBe(201);
      const [carolNotification] = (await as(carol).get('/notifications').expect(200)).body;
      await as(bob).post('/notifications/read', { ids: [page.body[0].id, carolNotification.id] }).expect(204);
      await as(bob).get('/notifications/unread-count').expect(200, { unread: 4 });
      await as(carol).get('/notifications/unread-count').expect(200, { unread: 1 });
      const unread = await as(bob).get('/notifications?unread=true').expect(200);
      expect(unread.body.every((n: { read_at: string | null }) => n.read_at === null)).toBe(true);
      await as(bob).post('/notifications/read', { all: true }).expect(204);
      await as(bob).get('/notifications/unread-count').expect(200, { unread: 0 });
      for (const body of [{}, { ids: 'x' }, { ids: ['nope'] }, { all: false }]) await as(bob).post('/notifications/read', body).expect(422);
      await as(bob).get('/notifications?unread=maybe').expect(422);
      await as(bob).get('/notifications?limit=201').expect(422);
    });

    it('reaches the recipient\'s open stream as event: notification, and only theirs', async () => {
      const task = await newTask();
      const bobs = await EventStreamClient.open(testApp().getHttpServer() as Server, '/tasks/events', { Authorization: `Bearer ${bob.accessToken}` });
      const carols = await EventStreamClient.open(testApp().getHttpServer() as Server, '/tasks/events', { Authorization: `Bearer ${carol.accessToken}` });
      streams.push(bobs, carols);
      await comment(admin, task.id, `<@${bob.user.id}>`);
      await bobs.until(() => bobs.events.some((event) => event.event === 'notification'), 'the notification on bob\'s stream');
      const event = bobs.events.find((candidate) => candidate.event === 'notification')!;
      expect(JSON.parse(event.data!)).toMatchObject({ kind: 'mentioned', actor: { id: admin.user.id }, task: { id: task.id, key: task.key } });
      expect(event.id).toBeUndefined();
      await carols.until(() => carols.events.some((candidate) => candidate.event === 'comment.created'), 'the comment on carol\'s stream');
      expect(carols.events.some((candidate) => candidate.event === 'notification')).toBe(false);
    });

    it('needs a credential and lets a read token only read', async () => {
      await http().get('/notifications').expect(401);
      await http().get('/tasks/TF-1/comments').expect(401);
      const token = (await as(bob).post('/auth/tokens', { name: 'r', scope: 'read' }).expect(201)).body.token;
      const task = await newTask();
      await http().get('/notifications').set(...bearer(token)).expect(200);
      await http().get(`/tasks/${task.id}/comments`).set(...bearer(token)).expect(200);
      await http().post(`/tasks/${task.id}/comments`).set(...bearer(token)).send({ body: 'x' }).expect(403);
      await http().put(`/tasks/${task.id}/watch`).set(...bearer(token)).expect(403);
      await http().post('/notifications/read').set(...bearer(token)).send({ all: true }).expect(403);
    });
  });
});

describe('Comments, watchers and notifications do not exist in AUTH_MODE=off (e2e)', () => {
  const testApp = useTestApp();
  const http = (): Agent => request(testApp().getHttpServer());

  it('answers 404 on their routes and leaves them out of the document', async () => {
    const task = (await http().post('/tasks').send({ title: 't' }).expect(201)).body;
    expect(task.comment_count).toBe(0);
    await http().get(`/tasks/${task.id}/comments`).expect(404);
    await http().post(`/tasks/${task.id}/comments`).send({ body: 'x' }).expect(404);
    await http().put(`/tasks/${task.id}/watch`).expect(404);
    await http().get(`/tasks/${task.id}/watchers`).expect(404);
    await http().get('/notifications').expect(404);
    const document = (await http().get('/openapi.json').expect(200)).body;
    expect(Object.keys(document.paths).filter((path) => /comments|watch|notifications/.test(path))).toEqual([]);
  });
});

describe('due_soon notifications (e2e, AUTH_MODE=required)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = (): Agent => request(testApp().getHttpServer());
  const HOUR = 3_600_000;

  it('tells the member assignee once per task and due date when an open task comes due within 24 hours', async () => {
    const admin = await setUpAdmin(testApp());
    const bob = await addMember(testApp(), admin);
    const create = async (title: string, dueInHours: number, extra: object = {}) =>
      (
        await http()
          .post('/tasks')
          .set(...bearer(admin.accessToken))
          .send({ title, assignee_id: bob.user.id, due_date: new Date(Date.now() + dueInHours * HOUR).toISOString(), ...extra })
          .expect(201)
      ).body;
    const soon = await create('soon', 23);
    await create('later', 25);
    await create('finished', 2, { status: 'done' });
    await create('overdue', -1);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'nobody', due_date: new Date(Date.now() + HOUR).toISOString() }).expect(201);
    const dueSoon = async () =>
      ((await http().get('/notifications').set(...bearer(bob.accessToken)).expect(200)).body as Array<{ kind: string; actor: unknown; task: { title: string } }>).filter(
        (n) => n.kind === 'due_soon',
      );

    const job = testApp().get(DueSoonJob);
    expect(await job.run()).toBe(1);
    expect(await dueSoon()).toEqual([expect.objectContaining({ kind: 'due_soon', actor: null, task: expect.objectContaining({ title: 'soon' }) })]);
    // Again, as another run (or another instance) would: nothing more.
    expect(await job.run()).toBe(0);
    expect(await Promise.all([job.run(), job.run()])).toEqual([0, 0]);
    expect(await dueSoon()).toHaveLength(1);

    // A new due date within 24 hours is news again.
    await http().patch(`/tasks/${soon.id}`).set(...bearer(admin.accessToken)).send({ due_date: new Date(Date.now() + 20 * HOUR).toISOString() }).expect(200);
    expect(await job.run()).toBe(1);
    expect(await dueSoon()).toHaveLength(2);
  });

  it('runs as a periodic job of the job mechanism', async () => {
    const jobs = testApp().get(JobsService);
    await jobs.runDue();
    const [row] = await testApp().get(DataSource).query(`SELECT COUNT(*) AS n FROM jobs WHERE kind = '${DUE_SOON_JOB}'`);
    expect(Number(row.n)).toBeGreaterThanOrEqual(1);
  });
});
