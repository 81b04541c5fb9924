import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { TasksService } from '../src/tasks/tasks.service';
import { clearTasks } from './create-test-app';
import { createObservedApp } from './observability-test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b';

describe('request ids', () => {
  let app: NestExpressApplication;
  const logLines: string[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createObservedApp({ logLines });
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await clearTasks(app);
    jest.restoreAllMocks();
  });

  it('keeps a sane incoming X-Request-Id and returns it', async () => {
    for (const id of ['abc-123', 'req_01HZX3.7', '5f0c8a9e-1b2c-4d3e-8f9a-0b1c2d3e4f5a', 'a'.repeat(128)]) {
      const response = await http().get('/health').set('X-Request-Id', id).expect(200);
      expect(response.headers['x-request-id']).toBe(id);
    }
  });

  it.each([
    ['with a space', 'abc 123'],
    ['with markup', '<script>'],
    ['too long', 'a'.repeat(129)],
    ['with a quote', 'abc"def'],
    ['empty', ''],
  ])('replaces an X-Request-Id %s with a new UUID', async (_case, id) => {
    const response = await http().get('/health').set('X-Request-Id', id).expect(200);
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('makes a new id for each request that brings none', async () => {
    const [first, second] = await Promise.all([http().get('/'), http().get('/')]);
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).toMatch(UUID);
    expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
  });

  it('puts the id in error bodies as request_id: 404, 422, 400 and 413', async () => {
    const notFound = await http().get(`/tasks/${UNKNOWN_ID}`).set('X-Request-Id', 'missing-1').expect(404);
    expect(notFound.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Task ${UNKNOWN_ID} not found`,
      request_id: 'missing-1',
    });
    const unknownRoute = await http().get('/nowhere').expect(404);
    expect(unknownRoute.body.request_id).toBe(unknownRoute.headers['x-request-id']);
    const invalid = await http().post('/tasks').send({ title: '' }).expect(422);
    expect(invalid.body).toMatchObject({ statusCode: 422, request_id: invalid.headers['x-request-id'] });
    const malformed = await http()
      .post('/tasks')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'bad-json-1')
      .send('{"title":')
      .expect(400);
    expect(malformed.headers['x-request-id']).toBe('bad-json-1');
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request', request_id: 'bad-json-1' });
    const tooLarge = await http()
      .post('/tasks')
      .set('X-Request-Id', 'too-large-1')
      .send({ title: 'T', description: 'x'.repeat(120_000) })
      .expect(413);
    expect(tooLarge.body).toMatchObject({ statusCode: 413, request_id: 'too-large-1' });
  });

  it('answers a server fault with a generic 500 that carries the id', async () => {
    jest.spyOn(app.get(TasksService), 'findOne').mockRejectedValueOnce(new Error('disk on fire'));
    const response = await http().get(`/tasks/${UNKNOWN_ID}`).set('X-Request-Id', 'fault-1').expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      request_id: 'fault-1',
    });
  });

  it('writes the id on every log line of the request, the 500’s stack trace included', async () => {
    jest.spyOn(app.get(TasksService), 'findOne').mockRejectedValueOnce(new Error('disk on fire'));
    logLines.length = 0;
    await http().get(`/tasks/${UNKNOWN_ID}`).set('X-Request-Id', 'logged-1').expect(500);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const id = line.request_id ?? (line.req as { id?: unknown } | undefined)?.id;
      expect({ msg: line.msg, id }).toEqual({ msg: line.msg, id: 'logged-1' });
    }
    expect(lines.some((line) => JSON.stringify(line).includes('disk on fire'))).toBe(true);
    expect(lines.some((line) => String(line.msg).startsWith(`GET /tasks/${UNKNOWN_ID} 500`))).toBe(true);
  });
});
