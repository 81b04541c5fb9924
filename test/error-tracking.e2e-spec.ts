import { NestExpressApplication } from '@nestjs/platform-express';
import * as Sentry from '@sentry/nestjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { reportStartupFailure } from '../src/observability/error-tracking';
import { TasksService } from '../src/tasks/tasks.service';
import { clearTasks } from './create-test-app';
import { createObservedApp } from './observability-test-app';
import { FakeSentryIngest } from './sentry-ingest';

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
const COMMIT = '4f1c2d3e4b5a69788796a5b4c3d2e1f001122334';
const UNKNOWN_ID = '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b';
const USER_ID = '7d2b6c1e-0f4a-4b3c-9d8e-1a2b3c4d5e6f';
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
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    const dsn = await ingest.start();
    app = await createObservedApp({
      config: { sentryDsn: dsn, sentryEnvironment: 'staging', gitCommit: COMMIT },
      // Stands in for the accounts guard, which sets request.principal in AUTH_MODE=required; only on requests
      // that ask for it, since the tasks code records the principal as the author of what it writes.
      beforeConfigure: (nest) =>
        nest.use((req: { principal?: unknown; headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
          if (req.headers['x-test-principal']) {
            req.principal = { user: { id: USER_ID, email: 'ada@example.com', name: 'Ada', role: 'member' }, credential: { kind: 'session', sessionId: 's' } };
          }
          next();
        }),
    });
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
    await http().get(`/tasks/${UNKNOWN_ID}`).set('X-Request-Id', 'fault-42').set('X-Test-Principal', '1').expect(500);
    const [event] = await ingest.waitForEvents(1);
    expect(event).toMatchObject({
      environment: 'staging',
      release: `taskflow@${version}+${COMMIT.slice(0, 12)}`,
      transaction: 'GET /tasks/:id',
      tags: { route: '/tasks/:id', request_id: 'fault-42', status_code: '500' },
      user: { id: USER_ID },
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
      .set('Authorization', `Bearer ${SECRETS.bearer}`)
      .set('Cookie', `taskflow_session=${SECRETS.cookie}`)
      .send({ title: 'New title', password: SECRETS.password, current_password: SECRETS.password })
      .expect(500);
    await ingest.waitForEvents(1);
    await Sentry.flush(2_000);
    const everything = ingest.envelopes.map((envelope) => envelope.raw).join('\n');
    expect(everything).toContain('update failed');
    for (const secret of [...Object.values(SECRETS), 'horse battery']) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/taskflow_session=(?!\[Filtered\])/);
  });

  it.each([
    ['a 422', () => http().post('/tasks').send({ title: '' }).expect(422)],
    ['a 404 for an unknown task', () => http().get(`/tasks/${UNKNOWN_ID}`).expect(404)],
    ['a 404 for an unknown path', () => http().get('/nowhere').expect(404)],
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
