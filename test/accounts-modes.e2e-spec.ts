import request from 'supertest';
import { ACCOUNTS_CONFIG, bearer, handMadeJwt, setUpAdmin } from './account-fixtures';
import { useTestApp } from './create-test-app';

const ACCOUNT_ROUTES: Array<[string, string]> = [
  ['post', '/auth/setup'],
  ['post', '/auth/register'],
  ['post', '/auth/login'],
  ['post', '/auth/refresh'],
  ['post', '/auth/logout'],
  ['get', '/auth/me'],
  ['patch', '/auth/me'],
  ['get', '/auth/sessions'],
  ['delete', '/auth/sessions/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
  ['get', '/auth/tokens'],
  ['post', '/auth/tokens'],
  ['delete', '/auth/tokens/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
  ['get', '/users'],
  ['patch', '/users/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
  ['post', '/users/invitations'],
  ['get', '/users/invitations'],
  ['delete', '/users/invitations/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
];

const TASK_ROUTES: Array<[string, string]> = [
  ['get', '/tasks'],
  ['get', '/tasks/count'],
  ['get', '/tasks/stats'],
  ['get', '/tasks/search?q=x'],
  ['get', '/tasks/filter/todo'],
  ['post', '/tasks'],
  ['get', '/tasks/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
  ['put', '/tasks/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
  ['patch', '/tasks/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
  ['delete', '/tasks/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'],
];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

describe('AUTH_MODE=off: exactly the v1 API (e2e)', () => {
  const testApp = useTestApp({ config: { ...ACCOUNTS_CONFIG, authMode: 'off' } });
  const http = () => request(testApp().getHttpServer());

  it('reports the mode on GET /auth/status', async () => {
    await http().get('/auth/status').expect(200, { auth_mode: 'off', setup_required: false, registration: 'invite', email: false });
  });

  it.each(ACCOUNT_ROUTES)('answers %s %s with Nest\'s usual 404, credential or not', async (method, path) => {
    const response = await http()[method as Method](path).set('Authorization', 'Bearer whatever').send({}).expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: `Cannot ${method.toUpperCase()} ${path}` });
  });

  it('serves tasks without a credential and records no author', async () => {
    const created = await http().post('/tasks').send({ title: 'Open to all' }).expect(201);
    expect(created.body).toMatchObject({ created_by: null, updated_by: null });
    const updated = await http().patch(`/tasks/${created.body.id}`).send({ status: 'done' }).expect(200);
    expect(updated.body).toMatchObject({ created_by: null, updated_by: null });
    await http().delete(`/tasks/${created.body.id}`).expect(204);
  });
});

describe('AUTH_MODE=required: who may call what (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());

  it.each([['/'], ['/health'], ['/openapi.json'], ['/auth/status']])('serves %s without a credential', async (path) => {
    await http().get(path).expect(200);
  });

  it('serves Swagger UI without a credential', async () => {
    await http().get('/docs').redirects(1).expect(200);
  });

  it.each(TASK_ROUTES)('refuses %s %s without a credential: 401 with WWW-Authenticate', async (method, path) => {
    const response = await http()[method as Method](path).send({ title: 'x' }).expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="taskflow"');
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it.each(ACCOUNT_ROUTES.filter(([, path]) => !/setup|register|login|refresh|logout/.test(path)))(
    'refuses %s %s without a credential',
    async (method, path) => {
      await http()[method as Method](path).send({}).expect(401);
    },
  );

  it('says invalid_token when a credential was sent and refused', async () => {
    const response = await http().get('/tasks').set('Authorization', 'Bearer not-a-token').expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="taskflow", error="invalid_token"');
  });

  it.each([['Basic YWxpY2U6c2VjcmV0'], ['Bearer'], ['Bearer a b'], ['token abc']])(
    'refuses the malformed Authorization header %p with 401',
    async (header) => {
      const response = await http().get('/tasks').set('Authorization', header).expect(401);
      expect(response.headers['www-authenticate']).toContain('Bearer realm="taskflow"');
    },
  );

  describe('access tokens that must be refused', () => {
    const validClaims = (admin: { user: { id: string } }, sid: string) => {
      const now = Math.floor(Date.now() / 1000);
      return { sub: admin.user.id, sid, role: 'admin', iat: now, exp: now + 600 };
    };

    it('accepts a well-formed token, which the tampered variants below are built from', async () => {
      const admin = await setUpAdmin(testApp());
      await http().get('/tasks').set(...bearer(admin.accessToken)).expect(200);
    });

    it.each([
      ['signed with another secret', { alg: 'HS256', typ: 'JWT' }, 0, 'another secret that is long enough 123'],
      ['expired', { alg: 'HS256', typ: 'JWT' }, -1000, undefined],
      ['of another algorithm (HS512)', { alg: 'HS512', typ: 'JWT' }, 0, undefined],
    ])('refuses a token %s', async (_name, header, expShift, secret) => {
      const admin = await setUpAdmin(testApp());
      const sid = JSON.parse(Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString()).sid;
      const claims = validClaims(admin, sid);
      const token = handMadeJwt(header, { ...claims, exp: claims.exp + expShift }, secret);
      await http().get('/tasks').set(...bearer(token)).expect(401);
    });

    it('refuses alg "none" (no signature) and a token not valid yet (nbf)', async () => {
      const admin = await setUpAdmin(testApp());
      const sid = JSON.parse(Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString()).sid;
      const claims = validClaims(admin, sid);
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      await http().get('/tasks').set(...bearer(unsigned)).expect(401);
      const notYet = handMadeJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, nbf: claims.iat + 3600 });
      await http().get('/tasks').set(...bearer(notYet)).expect(401);
    });

    it('refuses a token whose payload was changed after signing (role raised)', async () => {
      const admin = await setUpAdmin(testApp());
      const [header, payload, signature] = admin.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
      await http().get('/tasks').set(...bearer(forged)).expect(401);
    });

    it('refuses a validly signed token naming a session that does not exist', async () => {
      const admin = await setUpAdmin(testApp());
      const token = handMadeJwt({ alg: 'HS256', typ: 'JWT' }, validClaims(admin, '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b'));
      await http().get('/tasks').set(...bearer(token)).expect(401);
    });
  });
});
