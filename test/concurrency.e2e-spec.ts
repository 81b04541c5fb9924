import request from 'supertest';
import { useTestApp } from './create-test-app';

const UNKNOWN_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

describe('ETag and If-Match (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  async function taskWithEtag() {
    const created = await http().post('/tasks').send({ title: 'Versioned', description: 'v1' }).expect(201);
    return { task: created.body, etag: created.headers.etag as string };
  }

  it('gives the same ETag on POST and GET, and a new one after each update', async () => {
    const { task, etag } = await taskWithEtag();
    expect((await http().get(`/tasks/${task.id}`)).headers.etag).toBe(etag);
    const put = await http().put(`/tasks/${task.id}`).send({}).expect(200);
    const patch = await http().patch(`/tasks/${task.id}`).send({}).expect(200);
    expect(new Set([etag, put.headers.etag, patch.headers.etag]).size).toBe(3);
    expect((await http().get(`/tasks/${task.id}`)).headers.etag).toBe(patch.headers.etag);
  });

  it.each(['put', 'patch'] as const)('%s with the current ETag succeeds', async (method) => {
    const { task, etag } = await taskWithEtag();
    const response = await http()[method](`/tasks/${task.id}`).set('If-Match', etag).send({ description: 'v2' }).expect(200);
    expect(response.body.description).toBe('v2');
  });

  it.each(['put', 'patch'] as const)('%s with a stale ETag gets 412 and changes nothing', async (method) => {
    const { task, etag: stale } = await taskWithEtag();
    const current = await http().patch(`/tasks/${task.id}`).send({ description: 'v2' }).expect(200);
    const response = await http()[method](`/tasks/${task.id}`).set('If-Match', stale).send({ description: 'v3' }).expect(412);
    expect(response.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
    await http().get(`/tasks/${task.id}`).expect(200, current.body);
  });

  it('DELETE with a stale ETag gets 412 and keeps the task; with the current one it deletes', async () => {
    const { task, etag: stale } = await taskWithEtag();
    const current = await http().patch(`/tasks/${task.id}`).send({ title: 'Changed' }).expect(200);
    await http().delete(`/tasks/${task.id}`).set('If-Match', stale).expect(412);
    await http().get(`/tasks/${task.id}`).expect(200);
    await http().delete(`/tasks/${task.id}`).set('If-Match', current.headers.etag).expect(204);
    await http().get(`/tasks/${task.id}`).expect(404);
  });

  it('accepts If-Match: * and a list that holds the current tag', async () => {
    const { task, etag } = await taskWithEtag();
    const star = await http().patch(`/tasks/${task.id}`).set('If-Match', '*').send({ description: 'star' }).expect(200);
    await http()
      .put(`/tasks/${task.id}`)
      .set('If-Match', `${etag}, "nope", ${star.headers.etag}`)
      .send({ description: 'listed' })
      .expect(200);
    await http().put(`/tasks/${task.id}`).set('If-Match', '"a", "b"').send({ description: 'x' }).expect(412);
  });

  it('answers 404 for an unknown id whatever If-Match says', async () => {
    await http().put(`/tasks/${UNKNOWN_ID}`).set('If-Match', '*').send({ title: 'x' }).expect(404);
    await http().patch(`/tasks/${UNKNOWN_ID}`).set('If-Match', '"abc"').send({ title: 'x' }).expect(404);
    await http().delete(`/tasks/${UNKNOWN_ID}`).set('If-Match', '"abc"').expect(404);
  });

  it('lets only one of two writers holding the same ETag win', async () => {
    const { task, etag } = await taskWithEtag();
    const results = await Promise.all(
      ['first', 'second', 'third'].map((description) =>
        http().patch(`/tasks/${task.id}`).set('If-Match', etag).send({ description }),
      ),
    );
    const statuses = results.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 412, 412]);
    const winner = results.find((response) => response.status === 200)!;
    await http().get(`/tasks/${task.id}`).expect(200, winner.body);
  });

  it('keeps updated_at strictly increasing under concurrent updates without If-Match', async () => {
    const { task } = await taskWithEtag();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => http().patch(`/tasks/${task.id}`).send({ description: `w${i}` })),
    );
    expect(results.map((response) => response.status)).toEqual(Array(8).fill(200));
    const stamps = results.map((response) => response.body.updated_at as string);
    expect(new Set(stamps).size).toBe(8);
    const final = await http().get(`/tasks/${task.id}`).expect(200);
    expect(final.body.updated_at).toBe([...stamps].sort().at(-1));
  });
});
