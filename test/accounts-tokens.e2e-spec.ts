import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin } from './account-fixtures';
import { useTestApp } from './create-test-app';

describe('API tokens (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());

  async function createToken(accessToken: string, body: Record<string, unknown>) {
    return (await http().post('/auth/tokens').set(...bearer(accessToken)).send(body).expect(201)).body;
  }

  it('creates a token shown once, tf_ and at least 32 random bytes, stored only as a hash', async () => {
    const admin = await setUpAdmin(testApp());
    const created = await createToken(admin.accessToken, { name: '  nightly export ', scope: 'write', expires_in_days: 30 });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'nightly export',
      scope: 'write',
      created_at: expect.any(String),
      expires_at: expect.any(String),
      last_used_at: null,
      token: expect.stringMatching(/^tf_[A-Za-z0-9_-]{43,}$/),
    });
    const days = (Date.parse(created.expires_at) - Date.parse(created.created_at)) / 86_400_000;
    expect(days).toBe(30);
    const list = await http().get('/auth/tokens').set(...bearer(admin.accessToken)).expect(200);
    expect(list.body).toEqual([{ ...created, token: undefined }].map(({ token: _token, ...rest }) => rest));
    const stored = JSON.stringify(await testApp().get(DataSource).query('SELECT * FROM api_tokens'));
    expect(stored).not.toContain(created.token);
    expect(stored).not.toContain(created.token.slice(3));
  });

  it('creates a token that never expires when expires_in_days is omitted', async () => {
    const admin = await setUpAdmin(testApp());
    expect((await createToken(admin.accessToken, { name: 'forever', scope: 'read' })).expires_at).toBeNull();
  });

  it.each([
    [{ scope: 'read' }],
    [{ name: '', scope: 'read' }],
    [{ name: 'x', scope: 'admin' }],
    [{ name: 'x' }],
    [{ name: 'x', scope: 'read', expires_in_days: 0 }],
    [{ name: 'x', scope: 'read', expires_in_days: 366 }],
    [{ name: 'x', scope: 'read', expires_in_days: 1.5 }],
    [{ name: 'x', scope: 'read', expires_in_days: '7' }],
  ])('answers 422 for %p', async (body) => {
    const admin = await setUpAdmin(testApp());
    await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send(body).expect(422);
    await http().get('/auth/tokens').set(...bearer(admin.accessToken)).expect(200, []);
  });

  it('lets a write token use every task route, and records its user as the author', async () => {
    const admin = await setUpAdmin(testApp());
    const { token } = await createToken(admin.accessToken, { name: 'script', scope: 'write' });
    const created = await http().post('/tasks').set(...bearer(token)).send({ title: 'From a script' }).expect(201);
    expect(created.body.created_by).toEqual({ id: admin.user.id, name: admin.user.name });
    await http().patch(`/tasks/${created.body.id}`).set(...bearer(token)).send({ status: 'done' }).expect(200);
    await http().get('/tasks/stats').set(...bearer(token)).expect(200);
    await http().delete(`/tasks/${created.body.id}`).set(...bearer(token)).expect(204);
  });

  it('lets a read token read and refuses it every write with 403, changing nothing', async () => {
    const admin = await setUpAdmin(testApp());
    const { token } = await createToken(admin.accessToken, { name: 'dashboard', scope: 'read' });
    const task = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Keep me' }).expect(201);
    await http().get('/tasks').set(...bearer(token)).expect(200);
    await http().get(`/tasks/${task.body.id}`).set(...bearer(token)).expect(200);
    await http().get('/tasks/count').set(...bearer(token)).expect(200, { total: 1 });
    await http().post('/tasks').set(...bearer(token)).send({ title: 'No' }).expect(403);
    await http().put(`/tasks/${task.body.id}`).set(...bearer(token)).send({ title: 'No' }).expect(403);
    await http().patch(`/tasks/${task.body.id}`).set(...bearer(token)).send({ title: 'No' }).expect(403);
    await http().delete(`/tasks/${task.body.id}`).set(...bearer(token)).expect(403);
    await http().get(`/tasks/${task.body.id}`).set(...bearer(token)).expect(200).expect((response) => {
      expect(response.body.title).toBe('Keep me');
    });
    await http().get('/tasks/count').set(...bearer(token)).expect(200, { total: 1 });
  });

  it('reaches GET /auth/me and GET /users, and no other account route (403), so it cannot mint credentials', async () => {
    const admin = await setUpAdmin(testApp());
    const { token } = await createToken(admin.accessToken, { name: 'all', scope: 'write' });
    await http().get('/auth/me').set(...bearer(token)).expect(200);
    await http().get('/users').set(...bearer(token)).expect(200);
    await http().post('/auth/tokens').set(...bearer(token)).send({ name: 'more', scope: 'write' }).expect(403);
    await http().get('/auth/tokens').set(...bearer(token)).expect(403);
    await http().get('/auth/sessions').set(...bearer(token)).expect(403);
    await http().patch('/auth/me').set(...bearer(token)).send({ name: 'x' }).expect(403);
    await http().post('/users/invitations').set(...bearer(token)).send({ role: 'admin' }).expect(403);
    await http().get('/users/invitations').set(...bearer(token)).expect(403);
    await http().patch(`/users/${admin.user.id}`).set(...bearer(token)).send({ name: 'x' }).expect(403);
    await http().get('/auth/tokens').set(...bearer(admin.accessToken)).expect(200).expect((response) => {
      expect(response.body).toHaveLength(1);
    });
  });

  it('refuses an expired token, a revoked one, an unknown one and a disabled user\'s with 401', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const expiring = await createToken(admin.accessToken, { name: 'soon', scope: 'read', expires_in_days: 1 });
    await testApp().get(DataSource).getRepository('ApiToken').update({ id: expiring.id }, { expiresAt: new Date(Date.now() - 1000) });
    const revoked = await createToken(admin.accessToken, { name: 'revoked', scope: 'read' });
    await http().delete(`/auth/tokens/${revoked.id}`).set(...bearer(admin.accessToken)).expect(204);
    const members = await createToken(member.accessToken, { name: 'member', scope: 'read' });
    await http().get('/tasks').set(...bearer(members.token)).expect(200);
    await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
    for (const token of [expiring.token, revoked.token, members.token, `tf_${'A'.repeat(43)}`]) {
      const response = await http().get('/tasks').set(...bearer(token)).expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="taskflow", error="invalid_token"');
    }
  });

  it('revokes only the user\'s own tokens: 404 for another user\'s or an unknown id', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const adminToken = await createToken(admin.accessToken, { name: 'mine', scope: 'read' });
    await http().delete(`/auth/tokens/${adminToken.id}`).set(...bearer(member.accessToken)).expect(404);
    await http().delete('/auth/tokens/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b').set(...bearer(admin.accessToken)).expect(404);
    await http().get('/tasks').set(...bearer(adminToken.token)).expect(200);
    await http().get('/auth/tokens').set(...bearer(member.accessToken)).expect(200, []);
  });

  it('records when a token was last used', async () => {
    const admin = await setUpAdmin(testApp());
    const { token } = await createToken(admin.accessToken, { name: 'used', scope: 'read' });
    await http().get('/tasks').set(...bearer(token)).expect(200);
    // The update is written without holding up the request; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const list = await http().get('/auth/tokens').set(...bearer(admin.accessToken)).expect(200);
    expect(list.body[0].last_used_at).not.toBeNull();
  });
});
