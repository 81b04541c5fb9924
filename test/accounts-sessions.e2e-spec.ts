import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, claimsOf, handMadeJwt, sessionCookieOf, setUpAdmin, signIn } from './account-fixtures';
import { useTestApp } from './create-test-app';

describe('Sessions: refresh, sign-out, session list (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());

  describe('POST /auth/refresh', () => {
    it('trades the cookie for a new access token and a new cookie', async () => {
      const admin = await setUpAdmin(testApp());
      const response = await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(200);
      expect(response.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 900 });
      const rotated = sessionCookieOf(response);
      expect(rotated).not.toBe(admin.cookie);
      expect(claimsOf(response.body.access_token)).toMatchObject({ sub: admin.user.id, sid: claimsOf(admin.accessToken).sid, role: 'admin' });
      await http().get('/auth/me').set(...bearer(response.body.access_token)).expect(200);
      await http().post('/auth/refresh').set('Cookie', rotated).expect(200);
    });

    it('carries sub, sid, role, iat and exp in access tokens signed with HS256', async () => {
      const admin = await setUpAdmin(testApp());
      const header = JSON.parse(Buffer.from(admin.accessToken.split('.')[0], 'base64url').toString());
      const claims = claimsOf(admin.accessToken) as Record<string, number>;
      expect(header.alg).toBe('HS256');
      expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'role', 'sid', 'sub']);
      expect(claims.exp - claims.iat).toBe(900);
    });

    it('ends the whole session when a rotated cookie is presented again (theft detection)', async () => {
      const admin = await setUpAdmin(testApp());
      const first = await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(200);
      const current = sessionCookieOf(first);
      // The thief replays the old value: refused, and the session ends for everyone.
      const replay = await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(401);
      expect(replay.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await http().post('/auth/refresh').set('Cookie', current).expect(401);
      await http().get('/auth/me').set(...bearer(first.body.access_token)).expect(401);
      // Another session of the same user is untouched.
      const other = await signIn(testApp(), ADMIN.email, ADMIN.password);
      await http().get('/auth/me').set(...bearer(other.accessToken)).expect(200);
    });

    it.each([
      ['no cookie', undefined],
      ['an unknown cookie', 'taskflow_session=unknown-value'],
      ['an empty cookie', 'taskflow_session='],
    ])('answers 401 for %s', async (_name, cookie) => {
      const call = http().post('/auth/refresh');
      if (cookie) call.set('Cookie', cookie);
      await call.expect(401);
    });

    it('answers 401 for the cookie of a session that ended, or that was idle 14 days, or began 30 days ago', async () => {
      const admin = await setUpAdmin(testApp());
      const dataSource = testApp().get(DataSource);
      const day = 24 * 60 * 60 * 1000;
      const sessionId = claimsOf(admin.accessToken).sid;
      await dataSource.getRepository('Session').update({ id: sessionId }, { lastUsedAt: new Date(Date.now() - 15 * day) });
      await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(401);

      const second = await signIn(testApp(), ADMIN.email, ADMIN.password);
      await dataSource.getRepository('Session').update({ id: claimsOf(second.accessToken).sid }, { createdAt: new Date(Date.now() - 31 * day) });
      await http().post('/auth/refresh').set('Cookie', second.cookie).expect(401);

      const third = await signIn(testApp(), ADMIN.email, ADMIN.password);
      await http().post('/auth/logout').set('Cookie', third.cookie).expect(204);
      await http().post('/auth/refresh').set('Cookie', third.cookie).expect(401);
    });

    it('answers 401 to a disabled user, whose sessions all ended', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      await http().post('/auth/refresh').set('Cookie', member.cookie).expect(401);
    });
  });

  describe('POST /auth/logout', () => {
    it('ends the session named by the cookie and clears the cookie', async () => {
      const admin = await setUpAdmin(testApp());
      const response = await http().post('/auth/logout').set('Cookie', admin.cookie).expect(204);
      expect(([] as string[]).concat(response.headers['set-cookie'])[0]).toMatch(/^taskflow_session=; .*Expires=Thu, 01 Jan 1970/);
      await http().get('/tasks').set(...bearer(admin.accessToken)).expect(401);
    });

    it('ends the session named by the access token when there is no cookie', async () => {
      const admin = await setUpAdmin(testApp());
      await http().post('/auth/logout').set(...bearer(admin.accessToken)).expect(204);
      await http().get('/tasks').set(...bearer(admin.accessToken)).expect(401);
      await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(401);
    });

    it('ends the session of an access token that has just expired (sign-out after a long idle tab)', async () => {
      const admin = await setUpAdmin(testApp());
      const claims = claimsOf(admin.accessToken) as { sub: string; sid: string; role: string };
      const past = Math.floor(Date.now() / 1000) - 3600;
      const expired = handMadeJwt({ alg: 'HS256', typ: 'JWT' }, { sub: claims.sub, sid: claims.sid, role: claims.role, iat: past, exp: past + 900 });
      await http().post('/auth/logout').set(...bearer(expired)).expect(204);
      await http().post('/auth/refresh').set('Cookie', admin.cookie).expect(401);
    });

    it('answers 204 with nothing to end', async () => {
      await http().post('/auth/logout').expect(204);
      await http().post('/auth/logout').set('Cookie', 'taskflow_session=nothing').set('Authorization', 'Bearer junk').expect(204);
    });
  });

  describe('GET and DELETE /auth/sessions', () => {
    it('lists the user\'s active sessions, marking the current one', async () => {
      const admin = await setUpAdmin(testApp());
      const phone = await request(testApp().getHttpServer())
        .post('/auth/login')
        .set('User-Agent', 'TaskFlow phone test')
        .send({ email: ADMIN.email, password: ADMIN.password })
        .expect(200);
      const member = await addMember(testApp(), admin);
      const response = await http().get('/auth/sessions').set(...bearer(admin.accessToken)).expect(200);
      expect(response.body).toHaveLength(2);
      for (const session of response.body) {
        expect(Object.keys(session).sort()).toEqual(['created_at', 'current', 'id', 'last_used_at', 'user_agent']);
      }
      const current = response.body.find((session: { current: boolean }) => session.current);
      expect(current.id).toBe(claimsOf(admin.accessToken).sid);
      expect(response.body.find((session: { id: string }) => session.id === claimsOf(phone.body.access_token).sid).user_agent).toBe(
        'TaskFlow phone test',
      );
      expect(response.body.map((session: { id: string }) => session.id)).not.toContain(claimsOf(member.accessToken).sid);
    });

    it('ends one of the user\'s own sessions, and 404s for another user\'s or an unknown one', async () => {
      const admin = await setUpAdmin(testApp());
      const laptop = await signIn(testApp(), ADMIN.email, ADMIN.password);
      const member = await addMember(testApp(), admin);
      await http().delete(`/auth/sessions/${claimsOf(member.accessToken).sid}`).set(...bearer(admin.accessToken)).expect(404);
      await http().delete('/auth/sessions/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b').set(...bearer(admin.accessToken)).expect(404);
      await http().delete('/auth/sessions/not-an-id').set(...bearer(admin.accessToken)).expect(404);
      await http().delete(`/auth/sessions/${claimsOf(laptop.accessToken).sid}`).set(...bearer(admin.accessToken)).expect(204);
      await http().get('/auth/me').set(...bearer(laptop.accessToken)).expect(401);
      await http().get('/auth/me').set(...bearer(member.accessToken)).expect(200);
      await http().delete(`/auth/sessions/${claimsOf(laptop.accessToken).sid}`).set(...bearer(admin.accessToken)).expect(404);
    });
  });

  describe('PATCH /auth/me', () => {
    it('changes the name without the current password', async () => {
      const admin = await setUpAdmin(testApp());
      const response = await http().patch('/auth/me').set(...bearer(admin.accessToken)).send({ name: '  Ada L.  ' }).expect(200);
      expect(response.body).toMatchObject({ id: admin.user.id, name: 'Ada L.', email: ADMIN.email });
    });

    it('needs the right current password to change the email or the password (403)', async () => {
      const admin = await setUpAdmin(testApp());
      const me = () => http().patch('/auth/me').set(...bearer(admin.accessToken));
      await me().send({ email: 'new@example.com' }).expect(403);
      await me().send({ email: 'new@example.com', current_password: 'wrong password' }).expect(403);
      await me().send({ password: 'a new password' }).expect(403);
      await http().get('/auth/me').set(...bearer(admin.accessToken)).expect(200).expect((response) => {
        expect(response.body.email).toBe(ADMIN.email);
      });
      await me().send({ email: 'new@example.com', current_password: ADMIN.password }).expect(200);
      await signIn(testApp(), 'new@example.com', ADMIN.password);
    });

    it('answers 409 for an email another account has', async () => {
      const admin = await setUpAdmin(testApp());
      await addMember(testApp(), admin);
      await http()
        .patch('/auth/me')
        .set(...bearer(admin.accessToken))
        .send({ email: 'BOB@example.com', current_password: ADMIN.password })
        .expect(409);
    });

    it('answers 422 for bad values and changes nothing', async () => {
      const admin = await setUpAdmin(testApp());
      for (const body of [{ name: '' }, { name: null }, { email: 'nope', current_password: ADMIN.password }, { password: 'short', current_password: ADMIN.password }]) {
        await http().patch('/auth/me').set(...bearer(admin.accessToken)).send(body).expect(422);
      }
      await signIn(testApp(), ADMIN.email, ADMIN.password);
    });

    it('ends every other session on a password change, keeps this one and the API tokens', async () => {
      const admin = await setUpAdmin(testApp());
      const other = await signIn(testApp(), ADMIN.email, ADMIN.password);
      const token = await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: 'ci', scope: 'read' }).expect(201);
      await http()
        .patch('/auth/me')
        .set(...bearer(admin.accessToken))
        .send({ password: 'a brand new password', current_password: ADMIN.password })
        .expect(200);
      await http().get('/auth/me').set(...bearer(other.accessToken)).expect(401);
      await http().post('/auth/refresh').set('Cookie', other.cookie).expect(401);
      await http().get('/auth/me').set(...bearer(admin.accessToken)).expect(200);
      await http().get('/tasks').set(...bearer(token.body.token)).expect(200);
      await request(testApp().getHttpServer()).post('/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(401);
      await signIn(testApp(), ADMIN.email, 'a brand new password');
    });
  });
});
