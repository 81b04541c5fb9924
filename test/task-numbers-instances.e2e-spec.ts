import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestApp, e2eDatabase, freshDatabase } from './create-test-app';

// Several instances share one database only on PostgreSQL; SQLite serves one instance, whose writes never interleave.
const describeOnPostgres = e2eDatabase() === 'postgres' ? describe : describe.skip;

describeOnPostgres('Task numbers across two instances on one PostgreSQL database (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let instances: NestExpressApplication[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    instances = [await createTestApp({ databaseUrl: database.url }), await createTestApp({ databaseUrl: database.url })];
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database?.drop();
  });

  const on = (index: number) => request(instances[index % 2].getHttpServer());

  it('gives 32 concurrent creations in one project 32 distinct numbers, 1 to 32', async () => {
    const created = await Promise.all(Array.from({ length: 32 }, (_, i) => on(i).post('/tasks').send({ title: `t${i}` }).expect(201)));
    const numbers = created.map((response) => response.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    const keys = new Set(created.map((response) => response.body.key as string));
    expect(keys.size).toBe(32);
  });

  it('numbers concurrent creations and moves in two projects independently, each without a duplicate', async () => {
    await on(0).post('/projects').send({ key: 'WEB', name: 'Website' }).expect(201);
    const creations = Array.from({ length: 32 }, (_, i) => on(i).post('/tasks').send({ title: `p${i}`, project_id: i % 2 ? 'WEB' : 'TF' }).expect(201));
    const created = await Promise.all(creations);
    const numbersIn = (key: string) =>
      created
        .filter((response) => response.body.key.startsWith(`${key}-`))
        .map((response) => response.body.number as number)
        .sort((a, b) => a - b);
    // TF already holds 1..32 from the test before.
    expect(numbersIn('TF')).toEqual(Array.from({ length: 16 }, (_, i) => 33 + i));
    expect(numbersIn('WEB')).toEqual(Array.from({ length: 16 }, (_, i) => 1 + i));
    // Moving the TF tasks into WEB concurrently continues WEB's numbering without a duplicate.
    const moved = await Promise.all(
      created.filter((response) => response.body.key.startsWith('TF-')).map((response, i) => on(i).patch(`/tasks/${response.body.id}`).send({ project_id: 'WEB' }).expect(200)),
    );
    expect(moved.map((response) => response.body.number as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => 17 + i));
  });

  it('gives a task created after another one was answered a larger number', async () => {
    const first = await on(0).post('/tasks').send({ title: 'first' }).expect(201);
    const second = await on(1).post('/tasks').send({ title: 'second' }).expect(201);
    expect(second.body.number).toBeGreaterThan(first.body.number);
  });
});
