import { NestExpressApplication } from '@nestjs/platform-express';
import * as Sentry from '@sentry/nestjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { reportStartupFailure } from '../src/observability/error-tracking';
import { TasksService } from '../src/tasks/tasks.service';
import { ACCOUNTS_CONFIG, setUpAdmin, SignedIn } from './account-fixtures';
import { clearAll, clearTasks } from './create-test-app';
import { createObservedApp } from './observability-test-app';
import { FakeSentryIngest } from './sentry-ingest';

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
const COMMIT = '4f1c2d3e4b5a69788796a5b4c3d2e1f001122334';
const UNKNOWN_ID = '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b';
// Values that must never reach the error tracker, sent every way a client can send them.
const SECRETS = {
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLW5vdC1yZWFs',
  cookie: 'session-cookie-value-4242',
  password: 'correct horse battery staple',
  passwordInMessage: 'hunter2-but-longer',
  apiToken: 'tf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
};

describe('error tracking (Sentry SDK against a local ingest server)', () => {
  const ingest = new FakeSentryIngest();
  let app: NestExpressApplication;
  let admin: SignedIn;
  // Every request signed in as the admin, with accounts on as in production.
  const http = () => {
    const agent = request(app.getHttpServer());
    const withAuth = (test: request.Test) => test.set('Authorization', `Bearer ${admin.accessToken}`);
    return {
      get: (path: string) => withAuth(agent.get(path)),
      post: (path: string) => withAuth(agent.post(path)),
      put: (path: string) => withAuth(agent.put(path)),
      delete: (path: string) => withAuth(agent.delete(path)),
    };
  };

  beforeAll(async () => {
    const dsn = await ingest.start();
    app = await createObservedApp({
      config: { ...ACCOUNTS_CONFIG, sentryDsn: dsn, sentryEnvironment: 'staging', gitCommit: COMMIT },
    });
    await clearAll(app);
    admin = await setUpAdmin(app);
  });
  afterAll(async () => {
    await app.close();
    await Sentry.close(2_000);
    await ingest.stop();
  });
  beforeEach(async () => {
    await clearTasks(app);
    await Sentry.flush(2_000);
    ingest.clear();
    jest.restoreAllMocks();
  });

  it('reports a 500 with environment, release, route template, request id and user id', async () => {
    jest.spyOn(app.get(TasksService), 'findOne').mockRejectedValueOnce(new Error('the disk is on fire'));
    await http().get(`/tasks/${UNKNOWN_ID}`).set('X-Request-Id', 'fault-42').expect(500);
    const [event] = await ingest.waitForEvents(1);
    expect(event).toMatchObject({
      environment: 'staging',
      release: `taskflow@${version}+${COMMIT.slice(0, 12)}`,
      transaction: 'GET /tasks/:id',
      tags: { route: '/tasks/:id', request_id: 'fault-42', status_code: '500' },
      user: { id: admin.user.id },
    });
    const exception = (event.exception as { values: { type: string; value: string }[] }).values.at(-1);
    expect(exception).toMatchObject({ type: 'Error', value: 'the disk is on fire' });
    expect(JSON.stringify(event.tags)).not.toContain(UNKNOWN_ID);
  });

  it('sends no password, token, cookie or Authorization header', async () => {
    jest.spyOn(app.get(TasksService), 'update').mockRejectedValueOnce(
      new Error(`update failed for password=${SECRETS.passwordInMessage} with Bearer ${SECRETS.bearer} and ${SECRETS.apiToken}`),
    );
    await http()
      .put(`/tasks/${UNKNOWN_ID}?token=${SECRETS.apiToken}`)
      .set('Cookie', `taskflow_session=${SECRETS.cookie}; other=${SECRETS.cookie}`)
      .set('X-Api-Key', SECRETS.bearer)
      .send({ title: 'New title', password: SECRETS.password, current_password: SECRETS.password })
      .expect(500);
    await ingest.waitForEvents(1);
    await Sentry.flush(2_000);
    const everything = ingest.envelopes.map((envelope) => envelope.raw).join('\n');
    expect(everything).toContain('update failed');
    for (const secret of [...Object.values(SECRETS), 'horse battery', admin.accessToken]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/taskflow_session=(?!\[Filtered\])/);
  });

  it.each([
    ['a 422', () => http().post('/tasks').send({ title: '' }).expect(422)],
    ['a 404 for an unknown task', () => http().get(`/tasks/${UNKNOWN_ID}`).expect(404)],
    ['a 404 for an unknown path', () => http().get('/nowhere').expect(404)],
    ['a 401 without a credential', () => request(app.getHttpServer()).get('/tasks').expect(401)],
    ['a 401 for a wrong password', () => request(app.getHttpServer()).post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong password' }).expect(401)],
    ['a 400 for a body that is not JSON', () => http().post('/tasks').set('Content-Type', 'application/json').send('{').expect(400)],
    ['a 412', async () => {
      const created = await http().post('/tasks').send({ title: 'T' }).expect(201);
      await http().delete(`/tasks/${created.body.id}`).set('If-Match', '"stale"').expect(412);
    }],
  ])('reports nothing for %s', async (_case, send) => {
    await send();
    await Sentry.flush(2_000);
    expect(ingest.events).toEqual([]);
  });

  it('reports a start that failed (a migration, say) and waits until it is sent', async () => {
    await reportStartupFailure(new Error('migration AddAccounts1764500000000 failed: relation "users" already exists'));
    const [event] = await ingest.waitForEvents(1);
    expect(event).toMatchObject({ environment: 'staging', tags: { phase: 'startup' } });
    expect(JSON.stringify(event.exception)).toContain('migration AddAccounts1764500000000 failed');
  });
});
