import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, invite, setUpAdmin, signIn } from './account-fixtures';
import { useTestApp } from './create-test-app';

describe('Members and invitations (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());

  describe('GET /users', () => {
    it('lists every user, disabled ones included, to any signed-in user, without secrets', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      const other = await addMember(testApp(), admin, { email: 'carol@example.com', name: 'Carol', password: 'carol password' });
      const response = await http().get('/users').set(...bearer(other.accessToken)).expect(200);
      expect(response.body.map((user: { name: string; disabled: boolean }) => [user.name, user.disabled])).toEqual([
        ['Ada Admin', false],
        ['Bob Member', true],
        ['Carol', false],
      ]);
      for (const user of response.body) expect(Object.keys(user).sort()).toEqual(['created_at', 'disabled', 'email', 'email_notifications', 'id', 'locale', 'name', 'role']);
    });
  });

  describe('PATCH /users/{id}', () => {
    it('lets an admin rename, promote and disable a member', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      const response = await http()
        .patch(`/users/${member.user.id}`)
        .set(...bearer(admin.accessToken))
        .send({ name: 'Robert', role: 'admin' })
        .expect(200);
      expect(response.body).toMatchObject({ id: member.user.id, name: 'Robert', role: 'admin', disabled: false });
    });

    it('refuses a member with 403 and changes nothing', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      await http().patch(`/users/${member.user.id}`).set(...bearer(member.accessToken)).send({ role: 'admin' }).expect(403);
      await http().patch(`/users/${admin.user.id}`).set(...bearer(member.accessToken)).send({ disabled: true }).expect(403);
      await http().get('/auth/me').set(...bearer(member.accessToken)).expect(200).expect((response) => {
        expect(response.body.role).toBe('member');
      });
    });

    it('answers 404 for an unknown id and 422 for bad values', async () => {
      const admin = await setUpAdmin(testApp());
      await http().patch('/users/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b').set(...bearer(admin.accessToken)).send({ name: 'x' }).expect(404);
      await http().patch('/users/nope').set(...bearer(admin.accessToken)).send({ name: 'x' }).expect(404);
      for (const body of [{ role: 'owner' }, { role: null }, { disabled: 'yes' }, { name: '' }, { name: 'x'.repeat(101) }]) {
        await http().patch(`/users/${admin.user.id}`).set(...bearer(admin.accessToken)).send(body).expect(422);
      }
    });

    it('answers 409 when it would leave no enabled admin', async () => {
      const admin = await setUpAdmin(testApp());
      await http().patch(`/users/${admin.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(409);
      await http().patch(`/users/${admin.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(409);
      const second = await addMember(testApp(), admin, { email: 'root@example.com', name: 'Root', password: 'root password' }, 'admin');
      await http().patch(`/users/${second.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      // A disabled admin does not count.
      await http().patch(`/users/${admin.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(409);
      await http().patch(`/users/${second.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: false }).expect(200);
      await http().patch(`/users/${admin.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(200);
    });

    it('keeps one admin when two admins demote each other at once', async () => {
      const admin = await setUpAdmin(testApp());
      const second = await addMember(testApp(), admin, { email: 'root@example.com', name: 'Root', password: 'root password' }, 'admin');
      const results = await Promise.all([
        http().patch(`/users/${second.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }),
        http().patch(`/users/${admin.user.id}`).set(...bearer(second.accessToken)).send({ role: 'member' }),
      ]);
      const statuses = results.map((response) => response.status);
      const admins = await testApp().get(DataSource).query(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin'`);
      expect(Number(admins[0].n)).toBe(1);
      // The second request either lost the race (409) or came after the guard saw its caller demoted (403).
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    });

    it('applies a role change at once: admin checks read the current role, not the token', async () => {
      const admin = await setUpAdmin(testApp());
      const second = await addMember(testApp(), admin, { email: 'root@example.com', name: 'Root', password: 'root password' }, 'admin');
      await http().get('/users/invitations').set(...bearer(second.accessToken)).expect(200);
      await http().patch(`/users/${second.user.id}`).set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(200);
      await http().get('/users/invitations').set(...bearer(second.accessToken)).expect(403);
    });

    it('ends every session of a disabled user at once', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      await http().get('/tasks').set(...bearer(member.accessToken)).expect(200);
      await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      await http().get('/tasks').set(...bearer(member.accessToken)).expect(401);
      await request(testApp().getHttpServer()).post('/auth/login').send({ email: 'bob@example.com', password: 'member password 1' }).expect(401);
      await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: false }).expect(200);
      await http().get('/tasks').set(...bearer(member.accessToken)).expect(401);
      await signIn(testApp(), 'bob@example.com', 'member password 1');
    });
  });

  describe('invitations', () => {
    it('creates an invitation valid 7 days whose code is shown once', async () => {
      const admin = await setUpAdmin(testApp());
      const response = await http()
        .post('/users/invitations')
        .set(...bearer(admin.accessToken))
        .send({ role: 'admin', email: ' Carol@Example.com ' })
        .expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        code: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
        role: 'admin',
        email: 'Carol@Example.com',
        expires_at: expect.any(String),
      });
      const days = (Date.parse(response.body.expires_at) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);
      const pending = await http().get('/users/invitations').set(...bearer(admin.accessToken)).expect(200);
      expect(pending.body).toEqual([{ id: response.body.id, role: 'admin', email: 'Carol@Example.com', expires_at: response.body.expires_at }]);
      const stored = JSON.stringify(await testApp().get(DataSource).query('SELECT * FROM invitations'));
      expect(stored).not.toContain(response.body.code);
    });

    it('lists only pending invitations: not used, expired or deleted', async () => {
      const admin = await setUpAdmin(testApp());
      await addMember(testApp(), admin);
      await invite(testApp(), admin, { role: 'member', email: 'expired@example.com' });
      await testApp().get(DataSource).query(`UPDATE invitations SET expires_at = created_at WHERE email = 'expired@example.com'`);
      const deleted = await http().post('/users/invitations').set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(201);
      await http().delete(`/users/invitations/${deleted.body.id}`).set(...bearer(admin.accessToken)).expect(204);
      await http().delete(`/users/invitations/${deleted.body.id}`).set(...bearer(admin.accessToken)).expect(404);
      await invite(testApp(), admin, { role: 'member', email: 'pending@example.com' });
      const pending = await http().get('/users/invitations').set(...bearer(admin.accessToken)).expect(200);
      expect(pending.body.map((invitation: { email: string }) => invitation.email)).toEqual(['pending@example.com']);
    });

    it('is for admins only (403 for members) and validates its body (422)', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      await http().post('/users/invitations').set(...bearer(member.accessToken)).send({ role: 'member' }).expect(403);
      await http().get('/users/invitations').set(...bearer(member.accessToken)).expect(403);
      await http().delete('/users/invitations/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b').set(...bearer(member.accessToken)).expect(403);
      for (const body of [{}, { role: 'owner' }, { role: 'member', email: 'not an email' }]) {
        await http().post('/users/invitations').set(...bearer(admin.accessToken)).send(body).expect(422);
      }
      await http().get('/users/invitations').set(...bearer(admin.accessToken)).expect(200, []);
    });
  });

  describe('REGISTRATION=open', () => {
    const openApp = useTestApp({ config: { ...ACCOUNTS_CONFIG, registration: 'open' } });

    it('lets anyone register as a member once set up, and still honours an invitation', async () => {
      const http2 = () => request(openApp().getHttpServer());
      await http2().get('/auth/status').expect(200, { auth_mode: 'required', setup_required: true, registration: 'open', email: false });
      await http2().post('/auth/register').send({ email: 'early@example.com', name: 'Early', password: 'password 12' }).expect(403);
      const admin = await setUpAdmin(openApp());
      const open = await http2().post('/auth/register').send({ email: 'dan@example.com', name: 'Dan', password: 'password 12' }).expect(201);
      expect(open.body.user.role).toBe('member');
      const code = await invite(openApp(), admin, { role: 'admin' });
      const invited = await http2().post('/auth/register').send({ email: 'eve@example.com', name: 'Eve', password: 'password 12', invitation: code }).expect(201);
      expect(invited.body.user.role).toBe('admin');
      await http2().post('/auth/register').send({ email: 'fay@example.com', name: 'Fay', password: 'password 12', invitation: 'bogus' }).expect(403);
      await http2().post('/auth/register').send({ email: 'DAN@example.com', name: 'Dan 2', password: 'password 12' }).expect(409);
      expect(ADMIN.email).toBeDefined();
    });
  });
});
