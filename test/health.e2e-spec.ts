import { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { clearTasks, createTestApp, e2eDatabase } from './create-test-app';
import { createTasks } from './task-fixtures';

describe('GET /health (e2e)', () => {
  let app: NestExpressApplication;

  beforeEach(async () => {
    app = await createTestApp();
    await clearTasks(app);
  });
  afterEach(async () => {
    await app.close();
  });

  it('reports healthy, connected, the number of tasks and the environment', async () => {
    await createTasks(app, [{ title: 'one' }, { title: 'two' }]);
    await request(app.getHttpServer())
      .get('/health')
      .expect(200, { status: 'healthy', database: 'connected', tasks_count: 2, environment: 'test' });
  });

  it('answers 503 with the reason when the database does not answer', async () => {
    await app.get(DataSource).destroy();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toEqual({ status: 'unhealthy', database: expect.any(String), environment: 'test', request_id: expect.any(String) });
    expect(response.body.database.length).toBeGreaterThan(0);
    expect(response.body.database).not.toBe('connected');
  });

  if (e2eDatabase() === 'postgres') {
    it('recovers by itself when PostgreSQL drops every connection (as in a database restart)', async () => {
      const http = () => request(app.getHttpServer());
      await http().get('/tasks').expect(200);
      const options = app.get(DataSource).options as { url: string };
      const admin = new Client({ connectionString: options.url });
      await admin.connect();
      try {
        const { rowCount } = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        expect(rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      // The pool drops the dead connections as the server's termination notices arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let i = 0; i < 5; i++) await http().get('/tasks').expect(200);
      await http().get('/health').expect(200);
    });
  }
});
