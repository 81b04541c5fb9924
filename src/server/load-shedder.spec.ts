import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { createLoadShedder } from './load-shedder';

/** Just enough of an Express response for the shedder: close events, status, headers, JSON. */
function fakeResponse() {
  const response = Object.assign(new EventEmitter(), {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    headersSent: false,
    writableEnded: false,
    destroyed: false,
    status(code: number) {
      response.statusCode = code;
      return response;
    },
    set(name: string, value: string) {
      response.headers[name] = value;
      return response;
    },
    json(body: unknown) {
      response.body = body;
      response.writableEnded = true;
      return response;
    },
  });
  return response;
}

describe(createLoadShedder.name, () => {
  const request = { path: '/tasks' } as Request;

  it('runs up to maxConcurrent requests, queues the next ones and starts them in order as others end', () => {
    const shedder = createLoadShedder({ maxConcurrent: 1, maxQueued: 5, maxWaitMs: 60_000, retryAfterSeconds: 1 });
    const started: string[] = [];
    const first = fakeResponse();
    const second = fakeResponse();
    shedder(request, first as unknown as Response, () => started.push('first'));
    shedder(request, second as unknown as Response, () => started.push('second'));
    expect(started).toEqual(['first']);
    expect(shedder.stats()).toEqual({ active: 1, queued: 1, shed: 0 });
    first.emit('close');
    expect(started).toEqual(['first', 'second']);
  });

  it('answers 503 with Retry-After and the Nest error shape when the queue is full', () => {
    const shedder = createLoadShedder({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 60_000, retryAfterSeconds: 3 });
    const responses = [fakeResponse(), fakeResponse(), fakeResponse()];
    const next = jest.fn();
    for (const response of responses) shedder(request, response as unknown as Response, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(responses[2]).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '3' } });
    expect(responses[2]!.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The server is overloaded; retry later' });
    expect(shedder.stats().shed).toBe(1);
  });

  it('puts the request id the onShed hook gave the request into the body, like every error body', () => {
    const shedder = createLoadShedder(
      { maxConcurrent: 1, maxQueued: 0, maxWaitMs: 60_000, retryAfterSeconds: 1 },
      { onShed: (shedRequest) => Object.assign(shedRequest, { id: 'req-1' }) },
    );
    const [running, shed] = [fakeResponse(), Object.assign(fakeResponse(), { req: { path: '/tasks' } })];
    shedder(request, running as unknown as Response, jest.fn());
    shedder(request, shed as unknown as Response, jest.fn());
    expect(shed.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'The server is overloaded; retry later', request_id: 'req-1' });
  });

  it('skips queued requests whose client has gone, and lets exempt requests through at once', () => {
    const shedder = createLoadShedder({
      maxConcurrent: 1, maxQueued: 5, maxWaitMs: 60_000, retryAfterSeconds: 1, isExempt: (r) => r.path === '/health',
    });
    const running = fakeResponse();
    const gone = fakeResponse();
    const waiting = fakeResponse();
    const started: string[] = [];
    shedder(request, running as unknown as Response, () => started.push('running'));
    shedder(request, gone as unknown as Response, () => started.push('gone'));
    shedder(request, waiting as unknown as Response, () => started.push('waiting'));
    shedder({ path: '/health' } as Request, fakeResponse() as unknown as Response, () => started.push('health'));
    gone.destroyed = true;
    running.emit('close');
    expect(started).toEqual(['running', 'health', 'waiting']);
  });
});
