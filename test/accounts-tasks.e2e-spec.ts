import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, setUpAdmin, SETUP_TOKEN } from './account-fixtures';
import { useTestApp } from './create-test-app';

describe('Tasks with accounts: authors and the v1 contract behind a credential (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());

  it('records the creator as created_by and updated_by, then each editor as updated_by', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const adminRef = { id: admin.user.id, name: 'Ada Admin' };
    const memberRef = { id: member.user.id, name: 'Bob Member' };

    const created = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Plan' }).expect(201);
    expect(created.body).toMatchObject({ created_by: adminRef, updated_by: adminRef });

    const put = await http().put(`/tasks/${created.body.id}`).set(...bearer(member.accessToken)).send({ status: 'in_progress' }).expect(200);
    expect(put.body).toMatchObject({ created_by: adminRef, updated_by: memberRef });
    await http().get(`/tasks/${created.body.id}`).set(...bearer(admin.accessToken)).expect(200).expect((response) => {
      expect(response.body).toMatchObject({ created_by: adminRef, updated_by: memberRef });
    });

    const patch = await http().patch(`/tasks/${created.body.id}`).set(...bearer(admin.accessToken)).send({}).expect(200);
    expect(patch.body.updated_by).toEqual(adminRef);
  });

  it('leaves updated_by as it was when an update is refused', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const created = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Plan' }).expect(201);
    await http().put(`/tasks/${created.body.id}`).set(...bearer(member.accessToken)).send({ title: '' }).expect(422);
    await http().put(`/tasks/${created.body.id}`).set(...bearer(member.accessToken)).set('If-Match', '"stale"').send({ title: 'x' }).expect(412);
    const current = await http().get(`/tasks/${created.body.id}`).set(...bearer(member.accessToken)).expect(200);
    expect(current.body.updated_by.id).toBe(admin.user.id);
  });

  it("shows the user's current name, in lists too", async () => {
    const admin = await setUpAdmin(testApp());
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'One' }).expect(201);
    await http().patch('/auth/me').set(...bearer(admin.accessToken)).send({ name: 'Ada Lovelace' }).expect(200);
    const list = await http().get('/tasks').set(...bearer(admin.accessToken)).expect(200);
    expect(list.body[0].created_by).toEqual({ id: admin.user.id, name: 'Ada Lovelace' });
    expect(list.headers['x-total-count']).toBe('1');
  });

  it('answers null authors for tasks written before accounts existed', async () => {
    const admin = await setUpAdmin(testApp());
    const created = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Old' }).expect(201);
    await testApp().get(DataSource).query('UPDATE tasks SET created_by_id = NULL, updated_by_id = NULL');
    const task = await http().get(`/tasks/${created.body.id}`).set(...bearer(admin.accessToken)).expect(200);
    expect(task.body).toMatchObject({ created_by: null, updated_by: null });
  });

  it('gives admins and members the same rights on tasks', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const created = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Shared' }).expect(201);
    await http().delete(`/tasks/${created.body.id}`).set(...bearer(member.accessToken)).expect(204);
    await http().get('/tasks/count').set(...bearer(admin.accessToken)).expect(200, { total: 0 });
  });

  it('never returns a password, hash, cookie value or token other than the one being issued', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const apiToken = (await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: 'x', scope: 'read' }).expect(201)).body.token;
    const invitation = (await http().post('/users/invitations').set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(201)).body.code;
    const hashes: Array<{ password_hash: string }> = await testApp().get(DataSource).query('SELECT password_hash FROM users');
    const secrets = [
      ADMIN.password,
      'member password 1',
      SETUP_TOKEN,
      apiToken,
      invitation,
      admin.cookie.split('=')[1],
      member.cookie.split('=')[1],
      ...hashes.map((row) => row.password_hash),
      '$argon2id',
    ];
    const task = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'T' }).expect(201);
    const reads = [
      http().get('/auth/me').set(...bearer(admin.accessToken)),
      http().patch('/auth/me').set(...bearer(admin.accessToken)).send({ name: 'Ada' }),
      http().get('/users').set(...bearer(admin.accessToken)),
      http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }),
      http().get('/users/invitations').set(...bearer(admin.accessToken)),
      http().get('/auth/tokens').set(...bearer(admin.accessToken)),
      http().get('/auth/sessions').set(...bearer(admin.accessToken)),
      http().get('/tasks').set(...bearer(admin.accessToken)),
      http().get(`/tasks/${task.body.id}`).set(...bearer(admin.accessToken)),
      http().get('/auth/status'),
      http().post('/auth/login').send({ email: ADMIN.email, password: 'wrong password' }),
      http().post('/auth/setup').send({ setup_token: 'wrong-token-wrong-token', ...ADMIN }),
    ];
    for (const response of await Promise.all(reads)) {
      for (const secret of secrets) expect(response.text).not.toContain(secret);
    }
  });
});
