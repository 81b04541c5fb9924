import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { useTestApp } from './create-test-app';

const ALLOWED = 'http://localhost:5173';
const BARE_HOST = 'taskflow-frontend.onrender.com';

describe('HTTP surface: root, bodies, CORS, security headers, docs (e2e)', () => {
  // The bare host name arrives expanded to https://, as loadConfig turns Render's CORS_ORIGINS value.
  const testApp = useTestApp({ corsOrigins: [ALLOWED, `https://${BARE_HOST}`] });
  const http = () => request(testApp().getHttpServer());

  it('GET / welcomes with the package version and the docs path', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    await http().get('/').expect(200, { message: 'Welcome to TaskFlow API', version, docs: '/docs' });
  });

  it('answers 404 in Nest shape for an unknown path', async () => {
    const response = await http().get('/api/tasks').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/tasks',
      request_id: response.headers['x-request-id'],
    });
  });

  describe('request bodies', () => {
    const post = () => http().post('/tasks').set('Content-Type', 'application/json');

    it.each(['{"title": ', '{title: "x"}', "{'title': 'x'}", '42', 'null', '"text"'])(
      'answers 400 for the body %s and creates nothing',
      async (body) => {
        const response = await post().send(body).expect(400);
        expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(typeof response.body.message).toBe('string');
        await http().get('/tasks/count').expect(200, { total: 0 });
      },
    );

    it.each(['[]', '[{"title":"x"}]'])('answers 422 for the JSON body %s, which is not an object', async (body) => {
      await post().send(body).expect(422);
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('reads application/merge-patch+json bodies as JSON', async () => {
      const created = await post().send({ title: 'T' }).expect(201);
      const response = await http()
        .patch(`/tasks/${created.body.id}`)
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ assignee: 'zed' }))
        .expect(200);
      expect(response.body.assignee).toBe('zed');
    });

    it('answers 422 when there is no body at all', async () => {
      await http().post('/tasks').expect(422);
    });

    // An HTML form on any site could post these without a preflight: bodies are JSON only.
    it('refuses a form-encoded body with 422 and creates nothing', async () => {
      const response = await http().post('/tasks').type('form').send('title=From+a+form').expect(422);
      expect(response.body.message).toEqual(['request body must be a JSON object']);
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('accepts a body of 100,000 bytes', async () => {
      const filler = 'x'.repeat(100_000 - JSON.stringify({ title: 'Big', padding: '' }).length);
      const body = JSON.stringify({ title: 'Big', padding: filler });
      expect(Buffer.byteLength(body)).toBe(100_000);
      await post().send(body).expect(201);
    });

    it('answers 413 for a body over 102,400 bytes and creates nothing', async () => {
      const body = JSON.stringify({ title: 'Huge', padding: 'x'.repeat(102_400) });
      const response = await post().send(body).expect(413);
      expect(response.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('answers 413 on PUT too', async () => {
      const created = await post().send({ title: 'T' }).expect(201);
      const body = JSON.stringify({ description: 'x'.repeat(103_000) });
      await http().put(`/tasks/${created.body.id}`).set('Content-Type', 'application/json').send(body).expect(413);
    });
  });

  describe('CORS', () => {
    it('echoes an allowed origin with Vary and exposes X-Total-Count, ETag and Location', async () => {
      const response = await http().get('/tasks').set('Origin', ALLOWED).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(response.headers.vary).toMatch(/Origin/);
      expect(response.headers['access-control-expose-headers'].split(',').sort()).toEqual(['ETag', 'Location', 'X-Next-Cursor', 'X-Total-Count']);
    });

    it('allows https:// for a bare host name from CORS_ORIGINS', async () => {
      const response = await http().get('/health').set('Origin', `https://${BARE_HOST}`).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(`https://${BARE_HOST}`);
      const plain = await http().get('/health').set('Origin', `http://${BARE_HOST}`).expect(200);
      expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers a preflight from an allowed origin with the methods and headers', async () => {
      const response = await http()
        .options('/tasks/some-id')
        .set('Origin', ALLOWED)
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'content-type,if-match')
        .expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(response.headers['access-control-allow-methods'].split(',').sort()).toEqual(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']);
      expect(response.headers['access-control-allow-headers'].toLowerCase().split(',').sort()).toEqual(['authorization', 'content-type', 'idempotency-key', 'if-match']);
    });

    it.each([
      ['a refused origin', 'https://evil.example'],
      ['a look-alike origin', 'http://localhost:5173.evil.example'],
      ['no origin', undefined],
    ])('sends no Access-Control-* header at all for %s', async (_, origin) => {
      const call = http().get('/tasks');
      const response = await (origin ? call.set('Origin', origin) : call).expect(200);
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      const preflight = http().options('/tasks').set('Access-Control-Request-Method', 'POST');
      const answer = await (origin ? preflight.set('Origin', origin) : preflight);
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  });

  it('sends helmet security headers', async () => {
    const response = await http().get('/tasks').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  describe('documentation', () => {
    it('serves Swagger UI at /docs', async () => {
      const response = await http().get('/docs').redirects(1).expect(200);
      expect(response.text).toContain('swagger-ui');
      await http().get('/docs/swagger-ui-init.js').expect(200);
    });

    it('serves the OpenAPI 3 document at /openapi.json with every endpoint', async () => {
      const { body } = await http().get('/openapi.json').expect(200);
      expect(body.openapi).toMatch(/^3\./);
      expect(Object.keys(body.paths).sort()).toEqual(
        [
          '/',
          '/auth/status',
          '/health',
          '/labels',
          '/labels/{id}',
          '/projects',
          '/projects/{idOrKey}',
          '/tasks',
          '/tasks/changes',
          '/tasks/count',
          '/tasks/events',
          '/tasks/filter/{status}',
          '/tasks/search',
          '/tasks/stats',
          '/tasks/{id}',
          '/tasks/{id}/history',
        ].sort(),
      );
    });

    it('documents every error response an operation can give', async () => {
      const { body } = await http().get('/openapi.json').expect(200);
      const responses = (path: string, method: string) => Object.keys(body.paths[path][method].responses).sort();
      // Every operation also lists what the shared pipeline answers: the body parser's 400, 413 and 415, and 500 and 503.
      const shared = ['400', '413', '415', '500', '503'];
      const withShared = (...own: string[]) => [...new Set([...own, ...shared])].sort();
      expect(responses('/tasks', 'get')).toEqual(withShared('200', '422'));
      expect(responses('/tasks', 'post')).toEqual(withShared('201', '409', '422'));
      expect(responses('/tasks/{id}', 'get')).toEqual(withShared('200', '404'));
      // 409: the task's project is archived (docs/API.md).
      expect(responses('/tasks/{id}', 'put')).toEqual(withShared('200', '404', '409', '412', '422'));
      expect(responses('/tasks/{id}', 'patch')).toEqual(withShared('200', '404', '409', '412', '422'));
      expect(responses('/tasks/{id}', 'delete')).toEqual(withShared('204', '404', '409', '412'));
      expect(responses('/tasks/filter/{status}', 'get')).toEqual(withShared('200', '422'));
      expect(body.paths['/tasks'].get.responses['503'].headers['Retry-After']).toMatchObject({ required: true });
      expect(responses('/health', 'get')).toEqual(withShared('200'));
      const listHeaders = body.paths['/tasks'].get.responses['200'].headers;
      expect(Object.keys(listHeaders)).toEqual(['X-Total-Count', 'X-Next-Cursor']);
      const parameters = body.paths['/tasks'].get.parameters.map((parameter: { name: string }) => parameter.name).sort();
      expect(parameters).toEqual([
        'assignee',
        'assignee_id',
        'cursor',
        'due_after',
        'due_before',
        'label_ids',
        'limit',
        'order',
        'priority',
        'project_id',
        'q',
        'skip',
        'sort',
        'status',
      ]);
      expect(body.components.schemas.TaskStatus.enum).toEqual(['todo', 'in_progress', 'done']);
    });

    it('describes the v1 API only: no bearer scheme and no credential errors in AUTH_MODE=off', async () => {
      const { body } = await http().get('/openapi.json').expect(200);
      expect(body.components.securitySchemes).toBeUndefined();
      expect(JSON.stringify(body.paths)).not.toMatch(/"401"|"403"|"429"/);
      for (const item of Object.values(body.paths) as Array<Record<string, { security?: unknown }>>) {
        for (const operation of Object.values(item)) expect(operation.security).toEqual([]);
      }
    });
  });
});
