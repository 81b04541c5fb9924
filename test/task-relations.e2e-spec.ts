import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin, SignedIn } from './account-fixtures';
import { useTestApp } from './create-test-app';

type Agent = ReturnType<typeof request>;

/** Tasks gain a project, a number and key, labels and a member assignee (docs/API.md, "The task", "Labels"). */
describe('Task keys, numbers and projects (e2e, AUTH_MODE=off)', () => {
  const testApp = useTestApp();
  const http = (): Agent => request(testApp().getHttpServer());
  const project = (key: string, name = key) => http().post('/projects').send({ key, name }).expect(201);

  it('numbers tasks from 1 per project, in creation order, and never reuses a number', async () => {
    await project('WEB');
    const keys: string[] = [];
    for (const project_id of ['TF', 'WEB', 'TF', 'web', undefined]) keys.push((await http().post('/tasks').send({ title: 't', project_id }).expect(201)).body.key);
    expect(keys).toEqual(['TF-1', 'WEB-1', 'TF-2', 'WEB-2', 'TF-3']);
    const last = await http().get('/tasks/TF-3').expect(200);
    await http().delete(`/tasks/${last.body.id}`).expect(204);
    expect((await http().post('/tasks').send({ title: 'after' }).expect(201)).body).toMatchObject({ number: 4, key: 'TF-4' });
  });

  it('ignores number and key in bodies', async () => {
    const created = await http().post('/tasks').send({ title: 't', number: 99, key: 'XX-9' }).expect(201);
    expect(created.body).toMatchObject({ number: 1, key: 'TF-1' });
    const put = await http().put(`/tasks/${created.body.id}`).send({ number: 7, key: 'TF-7' }).expect(200);
    expect(put.body).toMatchObject({ number: 1, key: 'TF-1' });
  });

  it('refuses an unknown project in a body with 422', async () => {
    await http().post('/tasks').send({ title: 't', project_id: 'NOPE' }).expect(422);
    await http().post('/tasks').send({ title: 't', project_id: '00000000-0000-4000-8000-000000000000' }).expect(422);
    await http().post('/tasks').send({ title: 't', project_id: 12 }).expect(422);
    await http().post('/tasks').send({ title: 't', project_id: null }).expect(422);
    await http().get('/tasks/count').expect(200, { total: 0 });
  });

  it('accepts the key, in any case, on every task route', async () => {
    const created = await http().post('/tasks').send({ title: 'Plan' }).expect(201);
    const { id } = created.body;
    const byKey = await http().get('/tasks/tf-1').expect(200);
    expect(byKey.body.id).toBe(id);
    expect(byKey.headers.etag).toBe(created.headers.etag);
    const put = await http().put('/tasks/TF-1').set('If-Match', created.headers.etag).send({ title: 'Plan B' }).expect(200);
    expect(put.headers.location ?? `/tasks/${id}`).toBe(`/tasks/${id}`);
    await http().patch('/tasks/Tf-1').send({ status: 'done' }).expect(200);
    const history = await http().get('/tasks/TF-1/history').expect(200);
    expect(history.body.map((entry: { kind: string }) => entry.kind)).toEqual(['updated', 'updated', 'created']);
    await http().delete('/tasks/tf-1').expect(204);
    await http().get('/tasks/TF-1').expect(404);
    await http().get(`/tasks/${id}/history`).expect(200);
  });

  it('answers 404 for keys that name no task', async () => {
    await http().post('/tasks').send({ title: 'Plan' }).expect(201);
    for (const key of ['TF-2', 'TF-0', 'XX-1', 'TF-', 'TF-1x', 'TF-99999999999999999999']) await http().get(`/tasks/${key}`).expect(404);
    await http().put('/tasks/TF-2').send({ title: 'x' }).expect(404);
    await http().patch('/tasks/TF-2').send({ title: 'x' }).expect(404);
    await http().delete('/tasks/TF-2').expect(404);
  });

  it('moves a task: it takes the next number of the target project, and its old key still finds it', async () => {
    await project('WEB');
    await http().post('/tasks').send({ title: 'web one', project_id: 'WEB' }).expect(201);
    const task = await http().post('/tasks').send({ title: 'to move' }).expect(201);
    const moved = await http().patch('/tasks/TF-1').set('If-Match', task.headers.etag).send({ project_id: 'web' }).expect(200);
    expect(moved.body).toMatchObject({ id: task.body.id, key: 'WEB-2', number: 2 });
    expect(moved.headers.etag).not.toBe(task.headers.etag);
    expect((await http().get('/tasks/TF-1').expect(200)).body.key).toBe('WEB-2');
    expect((await http().get('/tasks/WEB-2').expect(200)).body.id).toBe(task.body.id);
    // Moving back gives a new number there too; every old key keeps resolving.
    const back = await http().put('/tasks/WEB-2').send({ project_id: 'TF' }).expect(200);
    expect(back.body.key).toBe('TF-2');
    for (const key of ['TF-1', 'WEB-2', 'TF-2']) expect((await http().get(`/tasks/${key}`).expect(200)).body.id).toBe(task.body.id);
    // Naming the project it is already in changes nothing.
    const same = await http().patch('/tasks/TF-2').send({ project_id: 'TF' }).expect(200);
    expect(same.body.key).toBe('TF-2');
    // History is newest first; oldest first here: the creation, the move to WEB, the move back (naming the same project changed nothing).
    const history = (await http().get(`/tasks/${task.body.id}/history`).expect(200)).body.reverse();
    const [tf, web] = [(await http().get('/projects/TF')).body.id, (await http().get('/projects/WEB')).body.id];
    expect(history.map((entry: { changes: { project_id?: unknown } }) => entry.changes.project_id)).toEqual([
      { old: null, new: tf },
      { old: tf, new: web },
      { old: web, new: tf },
      ...history.slice(3).map(() => undefined),
    ]);
  });

  it('sorts by key: project key, then number', async () => {
    await project('AB');
    for (const project_id of ['TF', 'AB', 'TF', 'AB']) await http().post('/tasks').send({ title: 't', project_id }).expect(201);
    const keys = async (query: string) => (await http().get(`/tasks?${query}`).expect(200)).body.map((t: { key: string }) => t.key);
    expect(await keys('sort=key')).toEqual(['AB-1', 'AB-2', 'TF-1', 'TF-2']);
    expect(await keys('sort=key&order=desc')).toEqual(['TF-2', 'TF-1', 'AB-2', 'AB-1']);
    // Keyset paging over the key sort.
    const first = await http().get('/tasks?sort=key&limit=3').expect(200);
    expect(first.body.map((t: { key: string }) => t.key)).toEqual(['AB-1', 'AB-2', 'TF-1']);
    const next = await http().get(`/tasks?sort=key&limit=3&cursor=${encodeURIComponent(first.headers['x-next-cursor'])}`).expect(200);
    expect(next.body.map((t: { key: string }) => t.key)).toEqual(['TF-2']);
  });

  it('filters by project (id or key); an unknown project is 422', async () => {
    const web = (await project('WEB')).body;
    await http().post('/tasks').send({ title: 'a', project_id: 'WEB' }).expect(201);
    await http().post('/tasks').send({ title: 'b' }).expect(201);
    expect((await http().get('/tasks?project_id=web').expect(200)).body.map((t: { title: string }) => t.title)).toEqual(['a']);
    expect((await http().get(`/tasks?project_id=${web.id}`).expect(200)).body.map((t: { title: string }) => t.title)).toEqual(['a']);
    await http().get('/tasks/count?project_id=TF').expect(200, { total: 1 });
    expect((await http().get('/tasks/stats?project_id=WEB').expect(200)).body.total).toBe(1);
    await http().get('/tasks?project_id=NOPE').expect(422);
    await http().get('/tasks/count?project_id=NOPE').expect(422);
    await http().get('/tasks/stats?project_id=NOPE').expect(422);
  });

  it('numbers 32 concurrent creations in one project without a gap or a duplicate', async () => {
    const created = await Promise.all(Array.from({ length: 32 }, (_, i) => http().post('/tasks').send({ title: `t${i}` }).expect(201)));
    const numbers = created.map((response) => response.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
  });

  it('records project_id in the change log, /tasks/changes included', async () => {
    const created = await http().post('/tasks').send({ title: 't' }).expect(201);
    const feed = await http().get('/tasks/changes').expect(200);
    const [entry] = feed.body.changes ?? feed.body;
    expect(entry.changes.project_id).toEqual({ old: null, new: created.body.project_id });
    expect(entry.task).toMatchObject({ key: 'TF-1', number: 1, project_id: created.body.project_id });
  });
});

describe('Labels (e2e, AUTH_MODE=off)', () => {
  const testApp = useTestApp();
  const http = (): Agent => request(testApp().getHttpServer());
  const label = async (name: string, color?: string) => (await http().post('/labels').send({ name, color }).expect(201)).body;

  it('creates labels with a trimmed name and a lower-cased colour, the default grey otherwise', async () => {
    const bug = await http().post('/labels').send({ name: ' bug ', color: '#FF0000' }).expect(201);
    expect(bug.body).toEqual({ id: expect.any(String), name: 'bug', color: '#ff0000', task_count: 0 });
    expect((await label('docs')).color).toBe('#6b7280');
    const list = await http().get('/labels').expect(200);
    expect(list.body.map((l: { name: string }) => l.name)).toEqual(['bug', 'docs']);
  });

  it.each([[{}], [{ name: '' }], [{ name: '   ' }], [{ name: 'x'.repeat(51) }], [{ name: 'ok', color: 'red' }], [{ name: 'ok', color: '#fff' }], [{ name: 'ok', color: '#12345g' }], [{ name: 3 }]])(
    'refuses %j with 422',
    async (body) => {
      await http().post('/labels').send(body).expect(422);
      expect((await http().get('/labels').expect(200)).body).toEqual([]);
    },
  );

  it('refuses a name taken in any case with 409, on create and rename', async () => {
    const bug = await label('Bug');
    await http().post('/labels').send({ name: 'bug' }).expect(409);
    const docs = await label('docs');
    await http().patch(`/labels/${docs.id}`).send({ name: 'BUG' }).expect(409);
    await http().patch(`/labels/${bug.id}`).send({ name: 'bug' }).expect(200);
  });

  it('updates name and colour; 404 for an unknown label', async () => {
    const bug = await label('bug');
    const updated = await http().patch(`/labels/${bug.id}`).send({ name: 'defect', color: '#00AA00' }).expect(200);
    expect(updated.body).toMatchObject({ name: 'defect', color: '#00aa00' });
    await http().patch('/labels/00000000-0000-4000-8000-000000000000').send({ name: 'x' }).expect(404);
    await http().patch('/labels/nope').send({ name: 'x' }).expect(404);
    await http().delete('/labels/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('sets the full set of labels on a task, ordered by name, duplicates collapsed', async () => {
    const [ui, bug] = [await label('ui'), await label('bug')];
    const task = await http().post('/tasks').send({ title: 't', label_ids: [ui.id, bug.id, ui.id] }).expect(201);
    expect(task.body.labels).toEqual([
      { id: bug.id, name: 'bug', color: '#6b7280' },
      { id: ui.id, name: 'ui', color: '#6b7280' },
    ]);
    expect((await http().get('/labels').expect(200)).body.map((l: { task_count: number }) => l.task_count)).toEqual([1, 1]);
    const replaced = await http().patch(`/tasks/${task.body.id}`).send({ label_ids: [ui.id] }).expect(200);
    expect(replaced.body.labels.map((l: { name: string }) => l.name)).toEqual(['ui']);
    const cleared = await http().put(`/tasks/${task.body.id}`).send({ label_ids: [] }).expect(200);
    expect(cleared.body.labels).toEqual([]);
  });

  it('refuses unknown label ids and more than 20 labels with 422, changing nothing', async () => {
    const bug = await label('bug');
    await http().post('/tasks').send({ title: 't', label_ids: ['00000000-0000-4000-8000-000000000000'] }).expect(422);
    await http().post('/tasks').send({ title: 't', label_ids: ['nope'] }).expect(422);
    await http().post('/tasks').send({ title: 't', label_ids: bug.id }).expect(422);
    const many = [];
    for (let i = 0; i < 21; i++) many.push((await label(`l${i}`)).id);
    await http().post('/tasks').send({ title: 't', label_ids: many }).expect(422);
    await http().post('/tasks').send({ title: 't', label_ids: many.slice(0, 20) }).expect(201);
    const task = await http().post('/tasks').send({ title: 'u', label_ids: [bug.id] }).expect(201);
    await http().patch(`/tasks/${task.body.id}`).send({ label_ids: [bug.id, 'nope'] }).expect(422);
    await http().patch(`/tasks/${task.body.id}`).send({ label_ids: null }).expect(422);
    expect((await http().get(`/tasks/${task.body.id}`).expect(200)).body.labels.map((l: { id: string }) => l.id)).toEqual([bug.id]);
  });

  it('filters by labels: tasks carrying all of them', async () => {
    const [bug, ui] = [await label('bug'), await label('ui')];
    await http().post('/tasks').send({ title: 'both', label_ids: [bug.id, ui.id] }).expect(201);
    await http().post('/tasks').send({ title: 'bug only', label_ids: [bug.id] }).expect(201);
    await http().post('/tasks').send({ title: 'none' }).expect(201);
    const titles = async (query: string) => (await http().get(`/tasks?${query}&sort=title`).expect(200)).body.map((t: { title: string }) => t.title);
    expect(await titles(`label_ids=${bug.id}`)).toEqual(['both', 'bug only']);
    expect(await titles(`label_ids=${bug.id},${ui.id}`)).toEqual(['both']);
    await http().get(`/tasks/count?label_ids=${ui.id}`).expect(200, { total: 1 });
    expect((await http().get(`/tasks/stats?label_ids=${bug.id}`).expect(200)).body.total).toBe(2);
    await http().get('/tasks?label_ids=nope').expect(422);
  });

  it('keeps the ETag when a label is renamed, and records label_ids in the change log', async () => {
    const bug = await label('bug');
    const task = await http().post('/tasks').send({ title: 't', label_ids: [bug.id] }).expect(201);
    await http().patch(`/labels/${bug.id}`).send({ name: 'defect' }).expect(200);
    const read = await http().get(`/tasks/${task.body.id}`).expect(200);
    expect(read.headers.etag).toBe(task.headers.etag);
    expect(read.body.labels[0].name).toBe('defect');
    await http().put(`/tasks/${task.body.id}`).set('If-Match', task.headers.etag).send({ label_ids: [] }).expect(200);
    const [cleared, created] = (await http().get(`/tasks/${task.body.id}/history`).expect(200)).body;
    expect(created.changes.label_ids).toEqual({ old: null, new: [bug.id] });
    expect(cleared.changes).toEqual({ label_ids: { old: [bug.id], new: [] } });
  });

  it('deleting a label takes it off every task, each with a new version and a change-log entry', async () => {
    const [bug, ui] = [await label('bug'), await label('ui')];
    const task = await http().post('/tasks').send({ title: 't', label_ids: [bug.id, ui.id] }).expect(201);
    await http().post('/projects').send({ key: 'OPS', name: 'Ops' }).expect(201);
    const archived = await http().post('/tasks').send({ title: 'a', project_id: 'OPS', label_ids: [bug.id] }).expect(201);
    await http().patch('/projects/OPS').send({ archived: true }).expect(200);
    await http().delete(`/labels/${bug.id}`).expect(204);
    const read = await http().get(`/tasks/${task.body.id}`).expect(200);
    expect(read.body.labels.map((l: { id: string }) => l.id)).toEqual([ui.id]);
    expect(read.headers.etag).not.toBe(task.headers.etag);
    const history = (await http().get(`/tasks/${task.body.id}/history`).expect(200)).body;
    expect(history[0].changes).toEqual({ label_ids: { old: [bug.id, ui.id].sort(), new: [ui.id] } });
    // Even tasks of an archived project lose it.
    expect((await http().get(`/tasks/${archived.body.id}`).expect(200)).body.labels).toEqual([]);
    expect((await http().get('/labels').expect(200)).body.map((l: { name: string }) => l.name)).toEqual(['ui']);
  });

  it('migrated tasks in a fresh database land in the default project', async () => {
    const rows = await testApp().get(DataSource).query('SELECT key, is_default FROM projects');
    expect(rows).toEqual([{ key: 'TF', is_default: expect.anything() }]);
  });
});

describe('Member assignees (e2e, AUTH_MODE=required)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = (): Agent => request(testApp().getHttpServer());
  let admin: SignedIn;
  let member: SignedIn;

  beforeEach(async () => {
    admin = await setUpAdmin(testApp());
    member = await addMember(testApp(), admin);
  });

  it('assigns a member: assignee_id and assignee_user, independent of the free-text assignee', async () => {
    const task = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 't', assignee: 'someone', assignee_id: member.user.id }).expect(201);
    expect(task.body).toMatchObject({ assignee: 'someone', assignee_id: member.user.id, assignee_user: { id: member.user.id, name: 'Bob Member' } });
    const cleared = await http().patch(`/tasks/${task.body.id}`).set(...bearer(member.accessToken)).send({ assignee_id: null }).expect(200);
    expect(cleared.body).toMatchObject({ assignee: 'someone', assignee_id: null, assignee_user: null });
    const history = (await http().get(`/tasks/${task.body.id}/history`).set(...bearer(admin.accessToken)).expect(200)).body;
    expect(history[0].changes).toEqual({ assignee_id: { old: member.user.id, new: null } });
  });

  it('refuses an unknown or disabled user with 422; a disabled user keeps their assignments', async () => {
    const task = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 't', assignee_id: member.user.id }).expect(201);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 't', assignee_id: '00000000-0000-4000-8000-000000000000' }).expect(422);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 't', assignee_id: 'bob' }).expect(422);
    await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 't', assignee_id: member.user.id }).expect(422);
    const kept = await http().get(`/tasks/${task.body.id}`).set(...bearer(admin.accessToken)).expect(200);
    expect(kept.body.assignee_user).toEqual({ id: member.user.id, name: 'Bob Member' });
  });

  it('filters by assignee: a user id, me and none', async () => {
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'bob', assignee_id: member.user.id }).expect(201);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'ada', assignee_id: admin.user.id }).expect(201);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'nobody' }).expect(201);
    const titles = async (query: string, who = member) =>
      (await http().get(`/tasks?${query}&sort=title`).set(...bearer(who.accessToken)).expect(200)).body.map((t: { title: string }) => t.title);
    expect(await titles(`assignee_id=${member.user.id}`)).toEqual(['bob']);
    expect(await titles('assignee_id=me')).toEqual(['bob']);
    expect(await titles('assignee_id=me', admin)).toEqual(['ada']);
    expect(await titles('assignee_id=none')).toEqual(['nobody']);
    await http().get('/tasks/count?assignee_id=me').set(...bearer(member.accessToken)).expect(200, { total: 1 });
    expect((await http().get('/tasks/stats?assignee_id=none').set(...bearer(member.accessToken)).expect(200)).body.total).toBe(1);
    await http().get('/tasks?assignee_id=bob').set(...bearer(member.accessToken)).expect(422);
  });

  it('shows the assignee\'s current name', async () => {
    const task = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 't', assignee_id: member.user.id }).expect(201);
    await http().patch('/auth/me').set(...bearer(member.accessToken)).send({ name: 'Robert' }).expect(200);
    const read = await http().get(`/tasks/${task.body.id}`).set(...bearer(admin.accessToken)).expect(200);
    expect(read.body.assignee_user).toEqual({ id: member.user.id, name: 'Robert' });
    expect(read.headers.etag).toBe(task.headers.etag);
  });
});

describe('Member assignees do not exist in AUTH_MODE=off (e2e)', () => {
  const testApp = useTestApp();
  const http = (): Agent => request(testApp().getHttpServer());

  it('ignores assignee_id in bodies and answers assignee_user null', async () => {
    const task = await http().post('/tasks').send({ title: 't', assignee_id: '00000000-0000-4000-8000-000000000000' }).expect(201);
    expect(task.body).toMatchObject({ assignee_id: null, assignee_user: null });
    await http().patch(`/tasks/${task.body.id}`).send({ assignee_id: 'anything' }).expect(200);
  });
});
