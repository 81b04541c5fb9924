import request from 'supertest';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin, SignedIn } from './account-fixtures';
import { useTestApp } from './create-test-app';
import { UUID } from './task-fixtures';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Projects (e2e, AUTH_MODE=off: anyone manages them)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  const createProject = async (body: Record<string, unknown>) => (await http().post('/projects').send(body).expect(201)).body;

  it('starts with the default project TF "General", holding every task', async () => {
    await http().post('/tasks').send({ title: 'a' }).expect(201);
    const list = await http().get('/projects').expect(200);
    expect(list.body).toEqual([
      {
        id: expect.stringMatching(UUID),
        key: 'TF',
        name: 'General',
        description: null,
        default: true,
        archived: false,
        task_count: 1,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      },
    ]);
  });

  it('creates a project with an upper-cased key, a trimmed name and a Location', async () => {
    const response = await http().post('/projects').send({ key: 'web', name: '  Website  ', description: 'The public site' }).expect(201);
    expect(response.body).toMatchObject({ key: 'WEB', name: 'Website', description: 'The public site', default: false, archived: false, task_count: 0 });
    expect(response.headers.location).toBe(`/projects/${response.body.id}`);
    await http().get(`/projects/${response.body.id}`).expect(200, response.body);
    await http().get('/projects/web').expect(200, response.body);
    await http().get('/projects/WEB').expect(200, response.body);
  });

  it.each([
    [{ name: 'No key' }],
    [{ key: 'W', name: 'Too short' }],
    [{ key: 'ABCDEFGHIJK', name: 'Too long' }],
    [{ key: '1AB', name: 'Digit first' }],
    [{ key: 'A-B', name: 'Dash' }],
    [{ key: 'ÉTÉ', name: 'Not ASCII' }],
    [{ key: 42, name: 'Number' }],
    [{ key: 'OK' }],
    [{ key: 'OK', name: '   ' }],
    [{ key: 'OK', name: 'x'.repeat(101) }],
    [{ key: 'OK', name: 'Fine', description: 'x'.repeat(1001) }],
    [{ key: 'OK', name: 'Fine', description: 3 }],
  ])('refuses %j with 422 and creates nothing', async (body) => {
    await http().post('/projects').send(body).expect(422);
    const list = await http().get('/projects').expect(200);
    expect(list.body).toHaveLength(1);
  });

  it('accepts the longest key and name', async () => {
    await createProject({ key: 'a123456789', name: 'n'.repeat(100), description: 'd'.repeat(1000) });
    await http().get('/projects/A123456789').expect(200);
  });

  it('refuses a key already taken, in any case, with 409', async () => {
    await createProject({ key: 'WEB', name: 'Website' });
    await http().post('/projects').send({ key: 'web', name: 'Other' }).expect(409);
    await http().post('/projects').send({ key: 'tf', name: 'Other' }).expect(409);
  });

  it('lists projects by name, archived ones only on request', async () => {
    await createProject({ key: 'ZED', name: 'Alpha' });
    const ops = await createProject({ key: 'OPS', name: 'Operations' });
    await http().patch(`/projects/${ops.id}`).send({ archived: true }).expect(200);
    expect((await http().get('/projects').expect(200)).body.map((p: { key: string }) => p.key)).toEqual(['ZED', 'TF']);
    const all = await http().get('/projects?include_archived=true').expect(200);
    expect(all.body.map((p: { key: string }) => p.key)).toEqual(['ZED', 'TF', 'OPS']);
    await http().get('/projects?include_archived=maybe').expect(422);
  });

  it('answers 404 for an unknown id or key', async () => {
    await http().get('/projects/00000000-0000-4000-8000-000000000000').expect(404);
    await http().get('/projects/NOPE').expect(404);
    await http().get('/projects/not a key').expect(404);
    await http().patch('/projects/NOPE').send({ name: 'x' }).expect(404);
    await http().delete('/projects/NOPE').expect(404);
  });

  describe('PATCH', () => {
    it('renames and describes, and keeps the key (the same key in any case is accepted)', async () => {
      const web = await createProject({ key: 'WEB', name: 'Website' });
      const renamed = await http().patch('/projects/web').send({ name: ' Site ', description: null, key: 'web' }).expect(200);
      expect(renamed.body).toMatchObject({ id: web.id, key: 'WEB', name: 'Site', description: null });
      expect(Date.parse(renamed.body.updated_at)).toBeGreaterThan(Date.parse(web.updated_at));
      await http().patch('/projects/WEB').send({ key: 'SITE' }).expect(422);
      await http().patch('/projects/WEB').send({ name: '' }).expect(422);
      await http().patch('/projects/WEB').send({ archived: 'yes' }).expect(422);
      expect((await http().get('/projects/WEB').expect(200)).body.name).toBe('Site');
    });

    it('renames the default project, but neither archives nor deletes it (409)', async () => {
      await http().patch('/projects/TF').send({ name: 'Everything' }).expect(200);
      await http().patch('/projects/TF').send({ archived: true }).expect(409);
      await http().delete('/projects/TF').expect(409);
      expect((await http().get('/projects/TF').expect(200)).body).toMatchObject({ name: 'Everything', default: true, archived: false });
    });

    it('makes another project the default; default: false is 422', async () => {
      await createProject({ key: 'WEB', name: 'Website' });
      await http().patch('/projects/WEB').send({ default: false }).expect(422);
      await http().patch('/projects/WEB').send({ default: true }).expect(200);
      expect((await http().get('/projects/WEB').expect(200)).body.default).toBe(true);
      expect((await http().get('/projects/TF').expect(200)).body.default).toBe(false);
      // New tasks without project_id go to the new default.
      const task = await http().post('/tasks').send({ title: 'x' }).expect(201);
      expect(task.body.key).toBe('WEB-1');
      // The old default can now be archived.
      await http().patch('/projects/TF').send({ archived: true }).expect(200);
    });

    it('refuses to make an archived project the default (409), unless the same body un-archives it', async () => {
      await createProject({ key: 'OPS', name: 'Operations' });
      await http().patch('/projects/OPS').send({ archived: true }).expect(200);
      await http().patch('/projects/OPS').send({ default: true }).expect(409);
      await http().patch('/projects/OPS').send({ archived: true, default: true }).expect(409);
      const both = await http().patch('/projects/OPS').send({ archived: false, default: true }).expect(200);
      expect(both.body).toMatchObject({ archived: false, default: true });
    });
  });

  describe('DELETE', () => {
    it('deletes an empty project and frees its key; 409 while it holds tasks', async () => {
      const web = await createProject({ key: 'WEB', name: 'Website' });
      const task = await http().post('/tasks').send({ title: 'x', project_id: 'WEB' }).expect(201);
      await http().delete('/projects/WEB').expect(409);
      await http().delete(`/tasks/${task.body.id}`).expect(204);
      await http().delete(`/projects/${web.id}`).expect(204);
      await http().get('/projects/WEB').expect(404);
      // The key is free again, and the old task key does not reach into the new project.
      await createProject({ key: 'WEB', name: 'Website again' });
      await http().get('/tasks/WEB-1').expect(404);
    });
  });

  describe('archived projects', () => {
    it('hide their tasks from unfiltered lists, counts and stats, and show them when filtered', async () => {
      await createProject({ key: 'OPS', name: 'Operations' });
      await http().post('/tasks').send({ title: 'general', priority: 'high' }).expect(201);
      const ops = await http().post('/tasks').send({ title: 'ops', project_id: 'ops', due_date: '2020-01-01T00:00:00Z' }).expect(201);
      await http().patch('/projects/OPS').send({ archived: true }).expect(200);

      const list = await http().get('/tasks').expect(200);
      expect(list.body.map((t: { title: string }) => t.title)).toEqual(['general']);
      expect(list.headers['x-total-count']).toBe('1');
      await http().get('/tasks/count').expect(200, { total: 1 });
      const stats = await http().get('/tasks/stats').expect(200);
      expect(stats.body).toMatchObject({ total: 1, overdue: 0 });
      expect((await http().get('/tasks/search?q=ops').expect(200)).body).toEqual([]);
      expect((await http().get('/tasks?q=ops').expect(200)).body).toEqual([]);

      const filtered = await http().get('/tasks?project_id=OPS').expect(200);
      expect(filtered.body.map((t: { id: string }) => t.id)).toEqual([ops.body.id]);
      await http().get('/tasks/count?project_id=ops').expect(200, { total: 1 });
      expect((await http().get(`/tasks/stats?project_id=OPS`).expect(200)).body).toMatchObject({ total: 1, overdue: 1 });
      // Reads of the task itself still work.
      await http().get(`/tasks/${ops.body.id}`).expect(200);
      await http().get('/tasks/OPS-1').expect(200);
      await http().get(`/tasks/${ops.body.id}/history`).expect(200);

      // Un-archiving restores everything.
      await http().patch('/projects/OPS').send({ archived: false }).expect(200);
      await http().get('/tasks/count').expect(200, { total: 2 });
    });

    it('refuse every write to their tasks, and moves into them, with 409', async () => {
      await createProject({ key: 'OPS', name: 'Operations' });
      const inside = await http().post('/tasks').send({ title: 'inside', project_id: 'OPS' }).expect(201);
      const outside = await http().post('/tasks').send({ title: 'outside' }).expect(201);
      await http().patch('/projects/OPS').send({ archived: true }).expect(200);

      await http().post('/tasks').send({ title: 'new', project_id: 'OPS' }).expect(409);
      await http().put(`/tasks/${inside.body.id}`).send({ title: 'changed' }).expect(409);
      await http().patch('/tasks/OPS-1').send({ status: 'done' }).expect(409);
      await http().patch(`/tasks/${inside.body.id}`).send({ project_id: 'TF' }).expect(409);
      await http().delete(`/tasks/${inside.body.id}`).expect(409);
      await http().patch(`/tasks/${outside.body.id}`).send({ project_id: 'OPS' }).expect(409);

      expect((await http().get(`/tasks/${inside.body.id}`).expect(200)).body).toMatchObject({ title: 'inside', status: 'todo', key: 'OPS-1' });
      expect((await http().get(`/tasks/${outside.body.id}`).expect(200)).body.key).toBe('TF-1');
      // The refused creation took no number.
      await http().patch('/projects/OPS').send({ archived: false }).expect(200);
      expect((await http().post('/tasks').send({ title: 'next', project_id: 'OPS' }).expect(201)).body.key).toBe('OPS-2');
    });
  });

  it('counts tasks per project', async () => {
    await createProject({ key: 'WEB', name: 'Website' });
    for (const project_id of ['WEB', 'WEB', 'TF']) await http().post('/tasks').send({ title: 't', project_id }).expect(201);
    const list = await http().get('/projects').expect(200);
    expect(Object.fromEntries(list.body.map((p: { key: string; task_count: number }) => [p.key, p.task_count]))).toEqual({ WEB: 2, TF: 1 });
  });
});

describe('Projects with accounts: members read, admins manage (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());
  let admin: SignedIn;
  let member: SignedIn;

  beforeEach(async () => {
    admin = await setUpAdmin(testApp());
    member = await addMember(testApp(), admin);
  });

  const token = async (scope: 'read' | 'write') =>
    (await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: scope, scope }).expect(201)).body.token as string;

  it('answers 401 without a credential', async () => {
    await http().get('/projects').expect(401);
    await http().get('/projects/TF').expect(401);
    await http().post('/projects').send({ key: 'WEB', name: 'Website' }).expect(401);
  });

  it('lets members read projects, and refuses them every write (403)', async () => {
    await http().get('/projects').set(...bearer(member.accessToken)).expect(200);
    await http().get('/projects/TF').set(...bearer(member.accessToken)).expect(200);
    await http().post('/projects').set(...bearer(member.accessToken)).send({ key: 'WEB', name: 'Website' }).expect(403);
    await http().patch('/projects/TF').set(...bearer(member.accessToken)).send({ name: 'Mine' }).expect(403);
    await http().delete('/projects/TF').set(...bearer(member.accessToken)).expect(403);
    expect((await http().get('/projects/TF').set(...bearer(admin.accessToken)).expect(200)).body.name).toBe('General');
  });

  it('lets admins manage projects', async () => {
    await http().post('/projects').set(...bearer(admin.accessToken)).send({ key: 'WEB', name: 'Website' }).expect(201);
    await http().patch('/projects/WEB').set(...bearer(admin.accessToken)).send({ archived: true }).expect(200);
    await http().delete('/projects/WEB').set(...bearer(admin.accessToken)).expect(204);
  });

  it('lets a read token only read, and a write token (an admin\'s) manage', async () => {
    const read = await token('read');
    await http().get('/projects').set(...bearer(read)).expect(200);
    await http().post('/projects').set(...bearer(read)).send({ key: 'WEB', name: 'Website' }).expect(403);
    const write = await token('write');
    await http().post('/projects').set(...bearer(write)).send({ key: 'WEB', name: 'Website' }).expect(201);
  });
});
