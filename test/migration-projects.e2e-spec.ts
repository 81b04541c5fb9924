import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { createTestApp, freshDatabase } from './create-test-app';

/** The migration that introduced projects, on a database that already holds tasks (docs/API.md, Projects). */
describe('Migrating a database with tasks to projects and keys (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('moves every task into the default project TF, numbered in created_at order (ties by id), and keeps them', async () => {
    const options = buildDataSourceOptions(database.url);
    const migrations = options.migrations as Array<new () => { name?: string }>;
    // The migrations released before it; those after it build on it, and run with it when TaskFlow starts.
    const index = migrations.findIndex((migration) => migration.name.startsWith('AddProjectsAndLabels'));
    expect(index).toBeGreaterThan(0);
    const previous = migrations.slice(0, index);

    // The schema as it was before projects, with tasks written then: two share a creation time.
    const before = new DataSource({ ...options, migrations: previous, entities: [] } as DataSourceOptions);
    await before.initialize();
    await before.runMigrations({ transaction: 'all' });
    const isPostgres = options.type === 'postgres';
    const tie = '2026-01-02 00:00:00.000';
    const tasks = [
      { id: randomUUID(), title: 'third', created: '2026-01-03 00:00:00.000' },
      { id: randomUUID(), title: 'first', created: '2026-01-01 00:00:00.000' },
      { id: '00000000-0000-4000-8000-00000000000b', title: 'tie b', created: tie },
      { id: '00000000-0000-4000-8000-00000000000a', title: 'tie a', created: tie },
    ];
    for (const task of tasks) {
      const created = isPostgres ? new Date(`${task.created.replace(' ', 'T')}Z`) : task.created;
      await before.query(
        isPostgres
          ? "INSERT INTO tasks (id, title, status, priority, created_at, updated_at, search_title) VALUES ($1, $2, 'todo', 'high', $3, $3, $4)"
          : "INSERT INTO tasks (id, title, status, priority, created_at, updated_at, search_title) VALUES (?, ?, 'todo', 'high', ?, ?, ?)",
        isPostgres ? [task.id, task.title, created, task.title] : [task.id, task.title, created, created, task.title],
      );
    }
    await before.destroy();

    // Starting TaskFlow runs the pending migration.
    const app = await createTestApp({ databaseUrl: database.url });
    try {
      const http = request(app.getHttpServer());
      const listed = await http.get('/tasks?sort=key').expect(200);
      expect(listed.body.map((task: { title: string; key: string }) => [task.key, task.title])).toEqual([
        ['TF-1', 'first'],
        ['TF-2', 'tie a'],
        ['TF-3', 'tie b'],
        ['TF-4', 'third'],
      ]);
      const projects = await http.get('/projects').expect(200);
      expect(projects.body).toMatchObject([{ key: 'TF', name: 'General', default: true, archived: false, task_count: 4 }]);
      // Keys resolve, the counters follow, and numbering goes on after the migrated tasks.
      expect((await http.get('/tasks/tf-2').expect(200)).body.title).toBe('tie a');
      await http.get('/tasks/count?priority=high').expect(200, { total: 4 });
      expect((await http.post('/tasks').send({ title: 'new' }).expect(201)).body.key).toBe('TF-5');
    } finally {
      await app.close();
    }
  });
});
