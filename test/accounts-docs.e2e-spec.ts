import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createOpenApiDocument } from '../src/app.setup';
import { ACCOUNTS_CONFIG } from './account-fixtures';
import { useTestApp } from './create-test-app';

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
}

const PUBLIC_OPERATIONS = [
  'get /',
  'get /health',
  'get /auth/status',
  'post /auth/setup',
  'post /auth/register',
  'post /auth/login',
  'post /auth/refresh',
  'post /auth/password-reset',
  'post /auth/password-reset/confirm',
  'post /auth/logout',
];

describe('Swagger with accounts on (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  let operations: Map<string, Operation>;
  let document: { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    document = (await request(testApp().getHttpServer()).get('/openapi.json').expect(200)).body;
    operations = new Map(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => [`${method} ${path}`, operation] as [string, Operation]),
      ),
    );
  });

  const statuses = (key: string) => Object.keys(operations.get(key)?.responses ?? {}).sort();

  it('declares the bearer scheme, which the Authorize button fills with an access or API token', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents every account route', () => {
    for (const key of [
      ...PUBLIC_OPERATIONS,
      'get /auth/me',
      'patch /auth/me',
      'get /auth/sessions',
      'delete /auth/sessions/{id}',
      'get /auth/tokens',
      'post /auth/tokens',
      'delete /auth/tokens/{id}',
      'get /users',
      'patch /users/{id}',
      'post /users/{id}/password-reset',
      'post /users/invitations',
      'get /users/invitations',
      'delete /users/invitations/{id}',
    ]) {
      expect(operations.has(key)).toBe(true);
    }
  });

  it('puts the bearer scheme and a 401 on every protected operation, and neither on the open ones', () => {
    for (const [key, operation] of operations) {
      if (PUBLIC_OPERATIONS.includes(key)) {
        expect(operation.security).toBeUndefined();
        expect(operation.responses['401'] === undefined || key === 'post /auth/login' || key === 'post /auth/refresh').toBe(true);
      } else {
        expect([key, operation.security]).toEqual([key, [{ bearer: [] }]]);
        expect([key, statuses(key)]).toEqual([key, expect.arrayContaining(['401'])]);
      }
    }
  });

  it('documents 403 where a role or a credential kind is refused, and 429 where the sign-in limits apply', () => {
    for (const key of ['post /tasks', 'put /tasks/{id}', 'patch /tasks/{id}', 'delete /tasks/{id}', 'patch /users/{id}', 'post /users/invitations', 'get /auth/sessions', 'post /auth/tokens']) {
      expect([key, statuses(key)]).toEqual([key, expect.arrayContaining(['403'])]);
    }
    for (const key of ['post /auth/setup', 'post /auth/register', 'post /auth/login']) {
      expect([key, statuses(key)]).toEqual([key, expect.arrayContaining(['429'])]);
    }
    expect(statuses('post /auth/setup')).toEqual(expect.arrayContaining(['201', '403', '409', '422']));
    expect(statuses('post /auth/register')).toEqual(expect.arrayContaining(['201', '403', '409', '422']));
    expect(statuses('patch /users/{id}')).toEqual(expect.arrayContaining(['200', '404', '409', '422']));
  });

  it('matches frontend/openapi.json, from which the frontend generates its types (npm run openapi:export)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'frontend', 'openapi.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(createOpenApiDocument(testApp())))).toEqual(committed);
  });
});
