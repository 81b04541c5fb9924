import { NestExpressApplication } from '@nestjs/platform-express';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { canonicalJson, IdempotencyService } from '../src/idempotency/idempotency.service';
import { SHARED_SCOPE } from '../src/idempotency/idempotency-scope';
import { IdempotencyKey } from '../src/idempotency/idempotency-key.entity';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin } from './account-fixtures';
import { createTestApp, freshDatabase, useTestApp } from './create-test-app';

const HOUR = 3_600_000;

async function taskCount(app: NestExpressApplication): Promise<number> {
  const response = await request(app.getHttpServer()).get('/tasks/count').expect(200);
  return response.body.total;
}

/** A key row as another instance would have left it: a first request still running, or one that died. */
async function insertRunningKey(app: NestExpressApplication, key: string, body: unknown, lockedUntil: Date): Promise<void> {
  await app.get(DataSource).getRepository(IdempotencyKey).insert({
    id: randomUUID(),
    scope: SHARED_SCOPE,
    key,
    requestHash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
    leaseToken: randomUUID(),
    lockedUntil,
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 24 * HOUR),
  });
}

describe('Idempotency-Key on POST /tasks (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());
  beforeEach(async () => {
    await testApp().get(DataSource).query('DELETE FROM idempotency_keys');
  });

  it('replays the first answer (status, body, Location, ETag) with Idempotent-Replayed and creates the task once', async () => {
    const first = await http().post('/tasks').set('Idempotency-Key', 'key-1').send({ title: 'Once', priority: 'high' }).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await http().post('/tasks').set('Idempotency-Key', 'key-1').send({ priority: 'high', title: 'Once' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);
    await expect(taskCount(testApp())).resolves.toBe(1);
  });

  it('treats requests without the header, and different keys, as different creations', async () => {
    await http().post('/tasks').send({ title: 'A' }).expect(201);
    await http().post('/tasks').send({ title: 'A' }).expect(201);
    await http().post('/tasks').set('Idempotency-Key', 'one').send({ title: 'A' }).expect(201);
    await http().post('/tasks').set('Idempotency-Key', 'two').send({ title: 'A' }).expect(201);
    await expect(taskCount(testApp())).resolves.toBe(4);
  });

  it('answers 422 when the same key comes with another body, and creates nothing more', async () => {
    await http().post('/tasks').set('Idempotency-Key', 'key-2').send({ title: 'First' }).expect(201);
    const response = await http().post('/tasks').set('Idempotency-Key', 'key-2').send({ title: 'Second' }).expect(422);
    expect(response.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: ['Idempotency-Key was already used with a different request body'],
    });
    await expect(taskCount(testApp())).resolves.toBe(1);
  });

  it('answers 409 with Retry-After while the first request with the key is still running', async () => {
    await insertRunningKey(testApp(), 'busy', { title: 'Busy' }, new Date(Date.now() + HOUR));
    const response = await http().post('/tasks').set('Idempotency-Key', 'busy').send({ title: 'Busy' }).expect(409);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    await expect(taskCount(testApp())).resolves.toBe(0);
  });

  it('lets a retry take over a key whose first request stopped without answering (its lease ran out)', async () => {
    await insertRunningKey(testApp(), 'orphan', { title: 'Orphan' }, new Date(Date.now() - 1_000));
    await http().post('/tasks').set('Idempotency-Key', 'orphan').send({ title: 'Orphan' }).expect(201);
    const replay = await http().post('/tasks').set('Idempotency-Key', 'orphan').send({ title: 'Orphan' }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await expect(taskCount(testApp())).resolves.toBe(1);
  });

  it('replays, and does not create twice, a task whose first request died after creating it but before storing its answer', async () => {
    const first = await http().post('/tasks').set('Idempotency-Key', 'crash').send({ title: 'Survivor' }).expect(201);
    // The row as a crash between the task's creation and the stored answer leaves it: no answer, a dead lease.
    await testApp()
      .get(DataSource)
      .getRepository(IdempotencyKey)
      .update(
        { key: 'crash' },
        { responseStatus: null, responseHeaders: null, responseBody: null, leaseToken: randomUUID(), lockedUntil: new Date(Date.now() - 1_000) },
      );
    const retry = await http().post('/tasks').set('Idempotency-Key', 'crash').send({ title: 'Survivor' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);
    await expect(taskCount(testApp())).resolves.toBe(1);
    // From then on the recovered answer is the stored one.
    const again = await http().post('/tasks').set('Idempotency-Key', 'crash').send({ title: 'Survivor' }).expect(201);
    expect(again.body).toEqual(first.body);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['non-ASCII', 'clé'],
  ])('refuses a malformed key (%s) with 400 and creates nothing', async (_label, key) => {
    const response = await http().post('/tasks').set('Idempotency-Key', key).send({ title: 'Never' }).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    await expect(taskCount(testApp())).resolves.toBe(0);
  });

  it('accepts a key of 255 visible ASCII characters', async () => {
    const key = '!~'.repeat(127) + 'x';
    await http().post('/tasks').set('Idempotency-Key', key).send({ title: 'Long key' }).expect(201);
    const replay = await http().post('/tasks').set('Idempotency-Key', key).send({ title: 'Long key' }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('does not store a refused request: a corrected retry with the same key creates the task', async () => {
    await http().post('/tasks').set('Idempotency-Key', 'fix-me').send({ title: '' }).expect(422);
    await http().post('/tasks').set('Idempotency-Key', 'fix-me').send({ title: 'Fixed' }).expect(201);
    await expect(taskCount(testApp())).resolves.toBe(1);
  });

  it('prunes expired keys and treats an expired key that is still stored as new', async () => {
    const keys = testApp().get(DataSource).getRepository(IdempotencyKey);
    await http().post('/tasks').set('Idempotency-Key', 'old').send({ title: 'Yesterday' }).expect(201);
    await http().post('/tasks').set('Idempotency-Key', 'fresh').send({ title: 'Today' }).expect(201);
    await keys.update({ key: 'old' }, { expiresAt: new Date(Date.now() - HOUR) });

    const again = await http().post('/tasks').set('Idempotency-Key', 'old').send({ title: 'Yesterday' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    await keys.update({ key: 'old' }, { expiresAt: new Date(Date.now() - HOUR) });
    await expect(testApp().get(IdempotencyService).pruneExpired()).resolves.toBe(1);
    await expect(keys.find()).resolves.toEqual([expect.objectContaining({ key: 'fresh' })]);
  });
});

describe('Idempotency keys per credential, with accounts (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());
  beforeEach(async () => {
    await testApp().get(DataSource).query('DELETE FROM idempotency_keys');
  });

  it('keeps each credential\'s keys apart: the same key from another user creates another task', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const mine = await http().post('/tasks').set(...bearer(admin.accessToken)).set('Idempotency-Key', 'shared-name').send({ title: 'Same' }).expect(201);
    const theirs = await http().post('/tasks').set(...bearer(member.accessToken)).set('Idempotency-Key', 'shared-name').send({ title: 'Same' }).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    const replay = await http().post('/tasks').set(...bearer(admin.accessToken)).set('Idempotency-Key', 'shared-name').send({ title: 'Same' }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(mine.body.id);
  });
});

describe('Idempotency keys across a restart (e2e)', () => {
  it('replays the stored answer from a new app on the same database', async () => {
    const database = await freshDatabase();
    try {
      const before = await createTestApp({ databaseUrl: database.url });
      const first = await request(before.getHttpServer()).post('/tasks').set('Idempotency-Key', 'survives').send({ title: 'Kept' }).expect(201);
      await before.close();
      const after = await createTestApp({ databaseUrl: database.url });
      try {
        const retry = await request(after.getHttpServer()).post('/tasks').set('Idempotency-Key', 'survives').send({ title: 'Kept' }).expect(201);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        expect(retry.body).toEqual(first.body);
        await expect(taskCount(after)).resolves.toBe(1);
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
    }
  });
});
