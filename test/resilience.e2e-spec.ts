import { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, e2eDatabase, freshDatabase, useTestApp } from './create-test-app';
import { createTask } from './task-fixtures';

/** `{"a":{"a":...1}}` or `[[...1]]`, `depth` levels deep. */
function nested(depth: number, kind: 'object' | 'array'): string {
  const [open, close] = kind === 'object' ? ['{"a":', '}'] : ['[', ']'];
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

describe('Over-deep JSON bodies (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  it.each([
    ['description', 'object'],
    ['title', 'array'],
    ['an unknown field', 'object'],
  ] as const)('refuses JSON nested 5,000 levels deep in %s (%s) with 400 on POST', async (field, kind) => {
    const body = `{"title":"deep",${JSON.stringify(field)}:${nested(5_000, kind)}}`;
    const response = await http().post('/tasks').set('Content-Type', 'application/json').send(body).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'request body is nested deeper than 32 levels' });
    await http().get('/tasks/count').expect(200, { total: 0 });
  });

  it.each(['put', 'patch'] as const)('refuses a deep body on %s and leaves the task as it was', async (method) => {
    const task = await createTask(testApp(), { title: 'Kept' });
    const body = `{"description":${nested(3_000, 'array')}}`;
    await http()[method](`/tasks/${task.id}`).set('Content-Type', 'application/json').send(body).expect(400);
    await http().get(`/tasks/${task.id}`).expect(200).expect((response) => expect(response.body).toEqual(task));
  });

  it('refuses a top-level array nested too deep', async () => {
    await http().post('/tasks').set('Content-Type', 'application/json').send(nested(2_500, 'array')).expect(400);
  });

  it('still takes ordinary nesting (a body nested 32 levels is validated as usual)', async () => {
    const body = `{"title":"ok","extra":${nested(31, 'object')}}`;
    await http().post('/tasks').set('Content-Type', 'application/json').send(body).expect(201);
  });
});

describe('A database that does not answer (e2e)', () => {
  let app: NestExpressApplication;
  let database: { url: string; drop: () => Promise<void> };
  const http = () => request(app.getHttpServer());

  beforeEach(async () => {
    database = await freshDatabase();
    app = await createTestApp({ databaseUrl: database.url });
  });
  afterEach(async () => {
    await app.close();
    await database.drop();
  });

  /** Every route that reads or writes tasks answers 503 with Retry-After and Nest's error shape; so does /health. */
  async function expectEveryRouteUnavailable(taskId: string): Promise<void> {
    for (const call of [
      () => http().get('/tasks'),
      () => http().get(`/tasks/${taskId}`),
      () => http().post('/tasks').send({ title: 'During' }),
      () => http().patch(`/tasks/${taskId}`).send({ title: 'During' }),
      () => http().delete(`/tasks/${taskId}`),
      () => http().get('/tasks/stats'),
    ]) {
      const response = await call().expect(503);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; retry later' });
    }
    const health = await http().get('/health').expect(503);
    expect(health.headers['retry-after']).toMatch(/^\d+$/);
  }

  if (e2eDatabase() === 'sqlite') {
    it('answers 503 with Retry-After and the Nest error shape on every route when the database is closed', async () => {
      const task = await createTask(app, { title: 'Before' });
      await app.get(DataSource).destroy();
      await expectEveryRouteUnavailable(task.id);
    });
  }

  if (e2eDatabase() === 'postgres') {
    it('answers 503 on every route while PostgreSQL refuses connections, and serves again by itself once it accepts them', async () => {
      const task = await createTask(app, { title: 'Before' });
      const name = new URL(database.url).pathname.slice(1);
      const admin = new Client({ connectionString: database.url.replace(`/${name}`, '/postgres') });
      await admin.connect();
      try {
        // New connections are refused (as while a server starts up), and the pool's open ones are dropped.
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        let refused: request.Response | undefined;
        // The first query may still meet a connection whose termination the pool has not seen yet.
        for (let attempt = 0; attempt < 5 && refused?.status !== 503; attempt++) refused = await http().get('/tasks');
        expect(refused?.status).toBe(503);
        expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
        expect(refused?.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
        await expectEveryRouteUnavailable(task.id);

        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await http().get('/tasks').expect(200);
        await http().get('/health').expect(200);
      } finally {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
        await admin.end();
      }
    });
  }
});
