import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, server } from '../test/fake-api';
import { ApiError, apiClient, request } from './api-client';

describe('request', () => {
  it('resolves a 204 to undefined', async () => {
    server.use(http.delete(api('/tasks/abc'), () => new HttpResponse(null, { status: 204 })));
    const { data, response } = await request(apiClient.DELETE('/tasks/{id}', { params: { path: { id: 'abc' } } }));
    expect(data).toBeUndefined();
    expect(response.status).toBe(204);
  });

  it('throws an ApiError with the status and Nest messages on a non-2xx answer', async () => {
    server.use(
      http.get(api('/tasks'), () =>
        HttpResponse.json(
          { statusCode: 422, error: 'Unprocessable Entity', message: ['status must be one of the following values: todo, in_progress, done'] },
          { status: 422 },
        ),
      ),
    );
    const error = await request(apiClient.GET('/tasks', {})).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).messages).toEqual(['status must be one of the following values: todo, in_progress, done']);
  });

  it('reports an unreachable server as status 0', async () => {
    server.use(http.get(api('/tasks/stats'), () => HttpResponse.error()));
    await expect(request(apiClient.GET('/tasks/stats', {}))).rejects.toMatchObject({ name: 'ApiError', status: 0 });
  });
});
