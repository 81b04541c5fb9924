import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { clearTasks, createTestApp, e2eDatabase, freshDatabase } from './create-test-app';
import { createTasks, listTasks } from './task-fixtures';

describe('Data survives restarts (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  // A redeploy overlaps the old instance with the new one; SQLite serves one instance, so this is PostgreSQL's case.
  if (e2eDatabase() === 'postgres') {
    it('starts several instances on a fresh database at once: migrations run once, none fails', async () => {
      const apps = await Promise.all([1, 2, 3].map(() => createTestApp({ databaseUrl: database.url })));
      try {
        for (const app of apps) await request(app.getHttpServer()).get('/health').expect(200);
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    });
  }

  it('keeps every acknowledged task, with all its fields, after the app is closed and started again', async () => {
    let app: NestExpressApplication = await createTestApp({ databaseUrl: database.url });
    await clearTasks(app);
    const created = await createTasks(app, [
      { title: 'Persist me', description: 'ünïcödé ✓', priority: 'high', assignee: 'ann', due_date: '2026-12-31T23:59:59.999Z' },
      { title: 'And me', status: 'done' },
    ]);
    const updated = await request(app.getHttpServer()).patch(`/tasks/${created[1].id}`).send({ assignee: 'bo' }).expect(200);
    await request(app.getHttpServer()).delete(`/tasks/${created[0].id}`).expect(204);
    const kept = await createTasks(app, [{ title: 'Third' }]);
    await app.close();

    app = await createTestApp({ databaseUrl: database.url });
    try {
      const { tasks } = await listTasks(app, '');
      expect(tasks).toEqual([updated.body, kept[0]]);
      await request(app.getHttpServer()).get(`/tasks/${created[0].id}`).expect(404);
    } finally {
      await app.close();
    }
  });

});
