import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, invite, SETUP_TOKEN, setUpAdmin, signIn } from './account-fixtures';
import { useTestApp } from './create-test-app';

const MEMBER = { email: 'bob@example.com', name: 'Bob Member', password: 'member password 1' };
const USER_KEYS = ['created_at', 'disabled', 'email', 'email_notifications', 'id', 'locale', 'name', 'role'];

describe('Set-up, registration and sign-in (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());
  const userCount = async () => Number((await testApp().get(DataSource).query('SELECT COUNT(*) AS n FROM users'))[0].n);

  describe('POST /auth/setup', () => {
    it('says set-up is required while no user exists, then not', async () => {
      await http().get('/auth/status').expect(200, { auth_mode: 'required', setup_required: true, registration: 'invite', email: false });
      await setUpAdmin(testApp());
      await http().get('/auth/status').expect(200, { auth_mode: 'required', setup_required: false, registration: 'invite', email: false });
    });

    it('creates the first admin and a session: access token, cookie, the user without secrets', async () => {
      const response = await http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN }).expect(201);
      expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 900, user: expect.any(Object) });
      expect(Object.keys(response.body.user).sort()).toEqual(USER_KEYS);
      expect(response.body.user).toMatchObject({ email: 'Admin@Example.com', name: 'Ada Admin', role: 'admin', disabled: false });
      const cookie = ([] as string[]).concat(response.headers['set-cookie'])[0];
      expect(cookie).toMatch(/^taskflow_session=[A-Za-z0-9_-]{43}; /);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/);
      expect(JSON.stringify(response.body)).not.toContain(ADMIN.password);
    });

    it('refuses a wrong set-up token with 403 and creates nothing', async () => {
      await http().post('/auth/setup').send({ setup_token: 'wrong-token-wrong-token', ...ADMIN }).expect(403);
      expect(await userCount()).toBe(0);
    });

    it('answers 409 once set up, even with the right token', async () => {
      await setUpAdmin(testApp());
      await http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN, email: 'other@example.com' }).expect(409);
      expect(await userCount()).toBe(1);
    });

    it('creates one admin when two set-ups race', async () => {
      const results = await Promise.all(
        [1, 2, 3].map((n) => http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN, email: `admin${n}@example.com` })),
      );
      expect(results.map((response) => response.status).sort()).toEqual([201, 409, 409]);
      expect(await userCount()).toBe(1);
    });

    it.each([
      [{ email: 'no-at-sign', name: 'A', password: 'long enough' }, 'email'],
      [{ email: 'a@b@c', name: 'A', password: 'long enough' }, 'email'],
      [{ email: `${'a'.repeat(250)}@b.co`, name: 'A', password: 'long enough' }, 'email'],
      [{ email: 'a@b.co', name: '   ', password: 'long enough' }, 'name'],
      [{ email: 'a@b.co', name: 'A'.repeat(101), password: 'long enough' }, 'name'],
      [{ email: 'a@b.co', name: 'A', password: 'short' }, 'password'],
      [{ email: 'a@b.co', name: 'A', password: 'x'.repeat(129) }, 'password'],
      [{ email: 'a@b.co', name: 'A' }, 'password'],
    ])('answers 422 for %p (%s) and creates nothing', async (body, field) => {
      const response = await http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...body }).expect(422);
      expect(response.body.message.join(' ')).toContain(field);
      expect(await userCount()).toBe(0);
    });

    it('accepts passwords of any characters, 8 to 128 code points (emoji count as one)', async () => {
      const password = '🔑'.repeat(8);
      await http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN, password }).expect(201);
      await signIn(testApp(), ADMIN.email, password);
    });
  });

  describe('POST /auth/register', () => {
    it('is refused with 403 while set-up is pending, even in open mode', async () => {
      await http().post('/auth/register').send(MEMBER).expect(403);
      expect(await userCount()).toBe(0);
    });

    it('registers a member with an invitation and starts a session', async () => {
      const admin = await setUpAdmin(testApp());
      const code = await invite(testApp(), admin);
      const response = await http().post('/auth/register').send({ ...MEMBER, invitation: code }).expect(201);
      expect(response.body.user).toMatchObject({ email: MEMBER.email, name: MEMBER.name, role: 'member', disabled: false });
      await http().get('/auth/me').set(...bearer(response.body.access_token)).expect(200);
    });

    it("gives the invitation's role", async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin, MEMBER, 'admin');
      expect(member.user.role).toBe('admin');
    });

    it('refuses a missing, unknown, used or deleted invitation with 403 before looking at the rest of the body', async () => {
      const admin = await setUpAdmin(testApp());
      await http().post('/auth/register').send(MEMBER).expect(403);
      await http().post('/auth/register').send({ ...MEMBER, invitation: 'no-such-code' }).expect(403);
      // Before 422 (a bad password) and before 409 (a taken email).
      await http().post('/auth/register').send({ ...MEMBER, password: 'short' }).expect(403);
      await http().post('/auth/register').send({ ...MEMBER, email: ADMIN.email }).expect(403);
      const code = await invite(testApp(), admin);
      await http().post('/auth/register').send({ ...MEMBER, invitation: code }).expect(201);
      await http().post('/auth/register').send({ ...MEMBER, email: 'carol@example.com', invitation: code }).expect(403);
      const deleted = await http().post('/users/invitations').set(...bearer(admin.accessToken)).send({ role: 'member' }).expect(201);
      await http().delete(`/users/invitations/${deleted.body.id}`).set(...bearer(admin.accessToken)).expect(204);
      await http().post('/auth/register').send({ ...MEMBER, email: 'dan@example.com', invitation: deleted.body.code }).expect(403);
      expect(await userCount()).toBe(2);
    });

    it('refuses an expired invitation with 403', async () => {
      const admin = await setUpAdmin(testApp());
      const code = await invite(testApp(), admin);
      await testApp().get(DataSource).query(`UPDATE invitations SET expires_at = created_at`);
      await http().post('/auth/register').send({ ...MEMBER, invitation: code }).expect(403);
    });

    it('refuses an invitation made for another email, and accepts its own email in any case', async () => {
      const admin = await setUpAdmin(testApp());
      const code = await invite(testApp(), admin, { role: 'member', email: 'Bob@Example.com' });
      await http().post('/auth/register').send({ ...MEMBER, email: 'eve@example.com', invitation: code }).expect(403);
      await http().post('/auth/register').send({ ...MEMBER, email: ' BOB@example.COM ', invitation: code }).expect(201);
    });

    it('answers 409 for a taken email (compared without case) and leaves the invitation usable', async () => {
      const admin = await setUpAdmin(testApp());
      const code = await invite(testApp(), admin);
      await http().post('/auth/register').send({ ...MEMBER, email: 'ADMIN@example.com', invitation: code }).expect(409);
      await http().post('/auth/register').send({ ...MEMBER, invitation: code }).expect(201);
    });

    it('answers 422 for a bad body once the invitation is accepted, and leaves the invitation usable', async () => {
      const admin = await setUpAdmin(testApp());
      const code = await invite(testApp(), admin);
      const response = await http().post('/auth/register').send({ ...MEMBER, password: 'short', invitation: code }).expect(422);
      expect(response.body.message).toEqual([expect.stringContaining('password')]);
      await http().post('/auth/register').send({ ...MEMBER, invitation: code }).expect(201);
    });

    it('lets one of two registrations racing with one invitation win', async () => {
      const admin = await setUpAdmin(testApp());
      const code = await invite(testApp(), admin);
      const results = await Promise.all(
        ['x1@example.com', 'x2@example.com', 'x3@example.com'].map((email) =>
          http().post('/auth/register').send({ ...MEMBER, email, invitation: code }),
        ),
      );
      expect(results.map((response) => response.status).sort()).toEqual([201, 403, 403]);
      expect(await userCount()).toBe(2);
    });
  });

  describe('POST /auth/login', () => {
    it('signs in with the email in any case and surrounding spaces', async () => {
      await setUpAdmin(testApp());
      const session = await signIn(testApp(), '  admin@EXAMPLE.com ', ADMIN.password);
      expect(session.user.email).toBe('Admin@Example.com');
      await http().get('/tasks').set(...bearer(session.accessToken)).expect(200);
    });

    it('answers the same 401 for an unknown email, a wrong password and a disabled user', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin, MEMBER);
      await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      const bodies = [];
      for (const attempt of [
        { email: 'nobody@example.com', password: ADMIN.password },
        { email: ADMIN.email, password: 'wrong password' },
        { email: MEMBER.email, password: MEMBER.password },
      ]) {
        const response = await http().post('/auth/login').send(attempt).expect(401);
        expect(response.headers['set-cookie']).toBeUndefined();
        bodies.push(response.body);
      }
      const withoutRequestId = ({ request_id: _id, ...body }: Record<string, unknown>) => body;
      expect(withoutRequestId(bodies[0])).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
      expect(withoutRequestId(bodies[1])).toEqual(withoutRequestId(bodies[0]));
      expect(withoutRequestId(bodies[2])).toEqual(withoutRequestId(bodies[0]));
    });

    it('answers 422 for a body without email or password', async () => {
      await http().post('/auth/login').send({ email: 'a@b.co' }).expect(422);
      await http().post('/auth/login').send({ password: 'x' }).expect(422);
    });
  });

  describe('abuse limits', () => {
    const failLogin = (email: string, address?: string) => {
      const call = http().post('/auth/login');
      if (address) call.set('X-Forwarded-For', address);
      return call.send({ email, password: 'wrong password' });
    };

    it('locks an email from this address after 5 failures, even for the right password, with Retry-After', async () => {
      await setUpAdmin(testApp());
      for (let attempt = 1; attempt <= 5; attempt++) await failLogin(ADMIN.email).expect(401);
      const locked = await http().post('/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
      expect(locked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(locked.headers['set-cookie']).toBeUndefined();
      // Another email is not affected.
      await failLogin('someone@example.com').expect(401);
    });

    it('counts failures for emails that have no account too', async () => {
      for (let attempt = 1; attempt <= 5; attempt++) await failLogin('ghost@example.com').expect(401);
      await failLogin('GHOST@example.com').expect(429);
    });

    it('clears the count of an email on a successful sign-in', async () => {
      await setUpAdmin(testApp());
      for (let attempt = 1; attempt <= 4; attempt++) await failLogin(ADMIN.email).expect(401);
      await signIn(testApp(), ADMIN.email, ADMIN.password);
      for (let attempt = 1; attempt <= 5; attempt++) await failLogin(ADMIN.email).expect(401);
      await failLogin(ADMIN.email).expect(429);
    });

    it('unlocks the email 15 minutes after the 5th failure', async () => {
      await setUpAdmin(testApp());
      for (let attempt = 1; attempt <= 5; attempt++) await failLogin(ADMIN.email).expect(401);
      await failLogin(ADMIN.email).expect(429);
      // Moving the clock: the lock and the window both end in the past.
      const past = Date.now() - 16 * 60 * 1000;
      await testApp().get(DataSource).query(`UPDATE sign_in_counters SET locked_until = ${past}, window_started_at = ${past - 60_000}`);
      await signIn(testApp(), ADMIN.email, ADMIN.password);
    });

    it('locks a client address after 20 failures on sign-in, set-up and registration routes only', async () => {
      const app = testApp();
      const admin = await setUpAdmin(app);
      for (let attempt = 1; attempt <= 20; attempt++) await failLogin(`user${attempt}@example.com`).expect(401);
      const locked = await http().post('/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      await http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN }).expect(429);
      await http().post('/auth/register').send({ ...MEMBER, invitation: await invite(app, admin) }).expect(429);
      // Other routes keep working for that address.
      await http().get('/tasks').set(...bearer(admin.accessToken)).expect(200);
      await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(200);
    });

    it('counts refused set-up tokens and registrations against the client address', async () => {
      await http().post('/auth/setup').send({ setup_token: 'wrong-token-wrong-token', ...ADMIN }).expect(403);
      const admin = await setUpAdmin(testApp());
      for (let attempt = 1; attempt <= 9; attempt++) await http().post('/auth/register').send(MEMBER).expect(403);
      for (let attempt = 1; attempt <= 10; attempt++) await failLogin(`user${attempt}@example.com`).expect(401);
      await failLogin('user11@example.com').expect(429);
      expect(admin.user.role).toBe('admin');
    });

    it('keeps its counters in the database: another instance on the same database sees them', async () => {
      await setUpAdmin(testApp());
      for (let attempt = 1; attempt <= 5; attempt++) await failLogin(ADMIN.email).expect(401);
      const counters = await testApp().get(DataSource).query(`SELECT failures FROM sign_in_counters WHERE "key" = 'email:admin@example.com'`);
      expect(Number(counters[0].failures)).toBe(5);
    });
  });
});

describe('Client address behind proxies (e2e)', () => {
  describe('TRUST_PROXY=1', () => {
    const testApp = useTestApp({ config: { ...ACCOUNTS_CONFIG, trustProxy: 1 } });
    const http = () => request(testApp().getHttpServer());
    const failFrom = (forwardedFor: string, n: number) =>
      http().post('/auth/login').set('X-Forwarded-For', forwardedFor).send({ email: `u${n}@example.com`, password: 'wrong password' });

    it('limits the address the trusted proxy appended (the right-most entry), whatever the client wrote before it', async () => {
      for (let n = 1; n <= 20; n++) await failFrom(`10.9.${n}.1, 203.0.113.7`, n).expect(401);
      await failFrom('198.51.100.1, 203.0.113.7', 21).expect(429);
      await failFrom('203.0.113.7, 203.0.113.8', 22).expect(401);
    });

    it('marks the cookie Secure when the trusted proxy says the request came over https', async () => {
      const response = await http()
        .post('/auth/setup')
        .set('X-Forwarded-Proto', 'https')
        .send({ setup_token: SETUP_TOKEN, ...ADMIN })
        .expect(201);
      expect(([] as string[]).concat(response.headers['set-cookie'])[0]).toMatch(/; Secure/);
    });
  });

  describe('TRUST_PROXY=0 (the default)', () => {
    const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
    const http = () => request(testApp().getHttpServer());

    it('ignores X-Forwarded-For, so a client cannot escape the limit by forging it', async () => {
      for (let n = 1; n <= 20; n++) {
        await http().post('/auth/login').set('X-Forwarded-For', `203.0.113.${n}`).send({ email: `u${n}@example.com`, password: 'wrong password' }).expect(401);
      }
      await http().post('/auth/login').set('X-Forwarded-For', '198.51.100.99').send({ email: 'u@example.com', password: 'x' }).expect(429);
    });

    it('ignores X-Forwarded-Proto for the Secure flag', async () => {
      const response = await http().post('/auth/setup').set('X-Forwarded-Proto', 'https').send({ setup_token: SETUP_TOKEN, ...ADMIN }).expect(201);
      expect(([] as string[]).concat(response.headers['set-cookie'])[0]).not.toMatch(/; Secure/);
    });
  });

  describe('NODE_ENV=production', () => {
    const testApp = useTestApp({ config: { ...ACCOUNTS_CONFIG, environment: 'production' } });

    it('always marks the cookie Secure', async () => {
      const response = await request(testApp().getHttpServer()).post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN }).expect(201);
      expect(([] as string[]).concat(response.headers['set-cookie'])[0]).toMatch(/; Secure/);
    });
  });
});
